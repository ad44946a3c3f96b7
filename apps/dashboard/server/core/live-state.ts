import { RIDER_STATUS_CODES, type FeedItem, type LiveStateFrame, type LogEvent, type RiderStatus, type WeatherCondition, type ZoneFrame } from '@riderflow/contracts';
import { TimedSeries } from './window.js';
import { kpiTiles, type WindowFacts } from './kpis.js';
import { RosteringView } from './rostering-view.js';
import { CANCEL_REASONS, capitalise, km, order, plural, rider, store } from './feed-text.js';

// The live picture of the city, folded from the event stream. Pure: events in, frames out; the
// socket.io layer only decides how often to ask for a frame.

const WORLD_EVENT = /^(rider|order|weather)\./;
/** an open order with no news for this long is a leftover of an earlier run, not live */
const STALE_ORDER_MS = 2 * 3600_000;

interface Rider { lat: number; lon: number; status: RiderStatus; zoneId: string; ts: number }
interface OpenOrder { zoneId: string; lat: number; lon: number; placedAt: number; assigned: boolean }
interface Zone { minLat: number; maxLat: number; minLon: number; maxLon: number }

/** A zone's fixed outline (from the simulator's deterministic city): drawn from the first frame. */
export interface ZoneOutline { id: string; name: string; bounds: [number, number, number, number] }

/**
 * Map coordinates in frames: 5 decimals is about a metre, finer than a map pixel. Full doubles
 * (17 digits) would make the rider list, most of a frame's bytes, about twice as large to send,
 * and to parse in every browser, several times a second.
 */
function coord(deg: number): number {
  return Math.round(deg * 1e5) / 1e5;
}

// The frame shapes (LiveStateFrame, ZoneFrame, FeedItem) live in @riderflow/contracts: the page imports them too.
export type { FeedItem, LiveStateFrame, ZoneFrame };

export interface LiveStateOptions {
  windowMin?: number;
  feedSize?: number;
  /** cap on riders sent per frame (the rest are counted, not drawn) */
  maxRidersInFrame?: number;
  /** the city's zones, known before any event (else zones are the boxes their events cover) */
  zones?: ZoneOutline[];
  /** the fleet's size when the platform knows it (SIM_RIDERS) */
  fleetSize?: number;
  /** the simulation's speed when the platform knows it (SIM_SPEED) */
  speed?: number;
}

export class LiveState {
  private readonly riders = new Map<string, Rider>();
  private readonly orders = new Map<string, OpenOrder>();
  private readonly stores = new Map<string, [number, number]>();
  private readonly zones = new Map<string, Zone>();
  private readonly outlines: Map<string, ZoneOutline>;
  /** every rider id seen, on shift or not: the fleet as the log knows it */
  private readonly knownRiders = new Set<string>();
  private readonly fleetSize: number;
  private readonly configuredSpeed: number | null;
  /** [wall ms, simulated ms] per frame, for the measured speed */
  private readonly clockSamples: [number, number][] = [];
  private since = 0;
  private readonly weather = new Map<string, { condition: WeatherCondition; rainMmH: number }>();
  private readonly created: TimedSeries<string>;
  private readonly delivered: TimedSeries<number>;
  private readonly cancelled: TimedSeries<number>;
  private readonly riderSnapshots: TimedSeries<{ onShift: number; idle: number; busy: number }>;
  private readonly feed: FeedItem[] = [];
  private plan: LiveStateFrame['plan'] = null;
  private planZones = new Map<string, { forecastOrders: number; ridersNeeded: number }>();
  readonly rostering = new RosteringView();
  private simTime = 0;
  private events = 0;
  private invalid = 0;
  private readonly byType: Record<string, number> = {};
  private readonly windowMs: number;
  private readonly windowMin: number;
  private readonly feedSize: number;
  private readonly maxRiders: number;

  constructor(options: LiveStateOptions = {}) {
    this.windowMin = options.windowMin ?? 15;
    this.windowMs = this.windowMin * 60_000;
    this.feedSize = options.feedSize ?? 60;
    this.maxRiders = options.maxRidersInFrame ?? 5_000;
    this.outlines = new Map((options.zones ?? []).map((z) => [z.id, z]));
    this.fleetSize = options.fleetSize ?? 0;
    this.configuredSpeed = options.speed ?? null;
    // two windows (current and previous) and a margin
    const keepMs = 2 * this.windowMs + 60_000;
    this.created = new TimedSeries(keepMs);
    this.delivered = new TimedSeries(keepMs);
    this.cancelled = new TimedSeries(keepMs);
    this.riderSnapshots = new TimedSeries(keepMs);
  }

  get clock(): number {
    return this.simTime;
  }

  /** events folded in so far (cheap: no frame is built) */
  get eventsApplied(): number {
    return this.events;
  }

  countInvalid(): void {
    this.invalid++;
  }

  apply(event: LogEvent): void {
    this.events++;
    this.byType[event.type] = (this.byType[event.type] ?? 0) + 1;
    // The clock follows the simulated world only (riders, orders, weather): a service that stamps
    // a derived event with another clock must not drag the whole picture to another time.
    if (WORLD_EVENT.test(event.type)) {
      if (event.ts > this.simTime) this.simTime = event.ts;
      if (this.since === 0 || event.ts < this.since) this.since = event.ts;
    }
    switch (event.type) {
      case 'rider.location': {
        this.knownRiders.add(event.riderId);
        if (event.status === 'off_shift') {
          this.riders.delete(event.riderId);
          this.grow(event.zoneId, event.lat, event.lon);
          break;
        }
        // the hottest path (most events are pings): update in place rather than allocate
        const r = this.riders.get(event.riderId);
        if (r) {
          r.lat = event.lat;
          r.lon = event.lon;
          r.status = event.status;
          r.zoneId = event.zoneId;
          r.ts = event.ts;
        } else this.riders.set(event.riderId, { lat: event.lat, lon: event.lon, status: event.status, zoneId: event.zoneId, ts: event.ts });
        this.grow(event.zoneId, event.lat, event.lon);
        break;
      }
      case 'rider.shift_started':
        this.knownRiders.add(event.riderId);
        this.riders.set(event.riderId, { lat: event.lat, lon: event.lon, status: 'idle', zoneId: event.zoneId, ts: event.ts });
        this.note(event.ts, event.type, `${capitalise(rider(event.riderId))} starts a shift in ${this.zoneName(event.zoneId)}`);
        break;
      case 'rider.shift_ended':
        this.knownRiders.add(event.riderId);
        this.riders.delete(event.riderId);
        this.note(event.ts, event.type, `${capitalise(rider(event.riderId))} ends the shift`);
        break;
      case 'rider.availability':
        this.knownRiders.add(event.riderId);
        break;
      case 'order.created':
        this.orders.set(event.orderId, { zoneId: event.zoneId, lat: event.dropLat, lon: event.dropLon, placedAt: event.placedAt, assigned: false });
        this.stores.set(event.storeId, [event.storeLat, event.storeLon]);
        this.created.push(event.ts, event.zoneId);
        this.rostering.orderCreated(event.zoneId, event.ts, event.orderId);
        this.grow(event.zoneId, event.dropLat, event.dropLon);
        this.note(event.ts, event.type, `${capitalise(order(event.orderId))} placed at ${store(event.storeId)} in ${this.zoneName(event.zoneId)}`);
        break;
      case 'order.assigned': {
        const order = this.orders.get(event.orderId);
        if (order) order.assigned = true;
        break;
      }
      case 'order.delivered':
        this.orders.delete(event.orderId);
        this.delivered.push(event.ts, event.clickToDoorMin);
        this.rostering.orderClosed(event.orderId, event.clickToDoorMin);
        this.note(event.ts, event.type, `${capitalise(rider(event.riderId))} delivers ${order(event.orderId)}, ${Math.round(event.clickToDoorMin)} min after it was placed`);
        break;
      case 'order.cancelled':
        this.orders.delete(event.orderId);
        this.cancelled.push(event.ts, 1);
        this.rostering.orderClosed(event.orderId);
        this.note(event.ts, event.type, `${capitalise(order(event.orderId))} cancelled: ${CANCEL_REASONS[event.reason] ?? event.reason}`);
        break;
      case 'weather.updated':
        this.weather.set(event.zoneId, { condition: event.condition, rainMmH: event.rainMmH });
        this.note(event.ts, event.type, `Weather in ${this.zoneName(event.zoneId)}: ${event.condition}${event.rainMmH ? `, ${event.rainMmH.toFixed(1)} mm of rain an hour` : ''}`);
        break;
      case 'dispatch.assigned':
      {
        const r = this.riders.get(event.riderId);
        const s = this.stores.get(event.storeId);
        const away = r && s ? `, ${km(r.lat, r.lon, s[0], s[1]).toFixed(1)} km away` : '';
        const what = event.orderIds.length === 1 ? order(event.orderIds[0]!) : plural(event.orderIds.length, 'order');
        this.note(event.ts, event.type, `${capitalise(rider(event.riderId))} picks up ${what} at ${store(event.storeId)}${away}`);
        break;
      }
      case 'dispatch.repositioned':
        this.note(event.ts, event.type, `${capitalise(rider(event.riderId))} moves to ${this.zoneName(event.zoneId)} (${event.reason})`);
        break;
      case 'roster.plan':
        this.plan = { planId: event.planId, modelVersion: event.modelVersion, bucketStart: event.bucketStart, horizonMin: event.horizonMin, moves: event.moves.length, callIns: event.callIns };
        this.rostering.plan(event);
        this.planZones = new Map(event.zones.map((z) => [z.zoneId, { forecastOrders: z.forecastOrders, ridersNeeded: z.ridersNeeded }]));
        this.note(event.ts, event.type, `Roster plan: ${plural(event.moves.length, 'rider move')}${event.callIns.length ? `, ${event.callIns.reduce((n, c) => n + c.riders, 0)} short of the rule in the coming hours` : ''} (model ${event.modelVersion})`);
        break;
      case 'roster.model':
        this.rostering.model(event);
        this.note(event.ts, event.type, `Retrain ${event.status}${event.version ? `: model ${event.version}` : ''}; active model ${event.activeModel}`);
        break;
      case 'roster.shift_plan':
        this.rostering.shiftPlan(event);
        this.note(event.ts, event.type, `Shifts booked for ${new Date(event.day).toISOString().slice(0, 10)}: ${plural(event.shifts.length, 'rider')} (forecast: ${event.forecastSource})`);
        break;
      case 'event.dead':
        this.note(event.ts, event.type, `Set aside as a dead letter (${event.sourceTopic} partition ${event.partition}, offset ${event.offset}): ${event.reason.split('\n')[0]!.slice(0, 120)}`);
        break;
      default:
        break;
    }
  }

  frame(wallNow = Date.now()): LiveStateFrame {
    const now = this.simTime;
    for (const [id, o] of this.orders) if (now - o.placedAt > STALE_ORDER_MS) this.orders.delete(id);
    for (const s of [this.created, this.delivered, this.cancelled, this.riderSnapshots]) s.trim(now);
    const ridersByStatus: Record<RiderStatus, number> = { idle: 0, to_store: 0, waiting: 0, to_customer: 0, repositioning: 0, off_shift: 0 };
    const riders: LiveStateFrame['riders'] = [];
    const presentByZone = new Map<string, number>();
    for (const [id, r] of this.riders) {
      ridersByStatus[r.status]++;
      presentByZone.set(r.zoneId, (presentByZone.get(r.zoneId) ?? 0) + 1);
      if (riders.length < this.maxRiders) riders.push([id, coord(r.lat), coord(r.lon), RIDER_STATUS_CODES[r.status]]);
    }
    const onShift = this.riders.size;
    const fleet = Math.max(this.fleetSize, this.knownRiders.size, onShift);
    ridersByStatus.off_shift = fleet - onShift;
    const snapshot = { onShift, idle: ridersByStatus.idle, busy: onShift - ridersByStatus.idle - ridersByStatus.repositioning };
    this.riderSnapshots.push(now, snapshot);

    const currentFrom = now - this.windowMs;
    const previousFrom = now - 2 * this.windowMs;
    const recentCreated = this.created.between(currentFrom, now + 1);
    const ordersByZone = new Map<string, number>();
    for (const z of recentCreated) ordersByZone.set(z, (ordersByZone.get(z) ?? 0) + 1);
    const previousSnapshot = this.riderSnapshots.between(previousFrom, currentFrom).at(-1) ?? snapshot;
    const facts = (from: number, to: number, riders: typeof snapshot): WindowFacts => ({
      windowMin: this.windowMin,
      created: this.created.between(from, to).length,
      delivered: this.delivered.between(from, to),
      cancelled: this.cancelled.between(from, to).length,
      ridersOnShift: riders.onShift,
      ridersIdle: riders.idle,
      ridersBusy: riders.busy,
    });

    const zoneIds = new Set([...this.outlines.keys(), ...this.zones.keys()]);
    const zones: ZoneFrame[] = [...zoneIds]
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
      .map((id) => {
        const w = this.weather.get(id);
        const p = this.planZones.get(id);
        const outline = this.outlines.get(id);
        const z = this.zones.get(id)!;
        return {
          id,
          name: outline?.name ?? id,
          bounds: outline?.bounds ?? [z.minLat, z.minLon, z.maxLat, z.maxLon],
          ordersLastWindow: ordersByZone.get(id) ?? 0,
          ridersPresent: presentByZone.get(id) ?? 0,
          weather: w?.condition ?? 'clear',
          rainMmH: w?.rainMmH ?? 0,
          forecastOrders: p?.forecastOrders ?? null,
          ridersNeeded: p?.ridersNeeded ?? null,
        };
      });

    // A comparison with a window this dashboard did not read in full would be a comparison with
    // nothing ("+68 pts" at start): no change is shown until the whole previous window was read.
    const comparable = this.since > 0 && this.since <= previousFrom;
    return {
      simTime: now,
      windowMin: this.windowMin,
      riders,
      ridersByStatus,
      fleet,
      speed: this.configuredSpeed ?? this.measuredSpeed(wallNow, now),
      since: this.since,
      stores: [...this.stores.entries()].map(([id, [lat, lon]]) => [id, coord(lat), coord(lon)]),
      openOrders: [...this.orders.entries()].map(([id, o]) => [coord(o.lat), coord(o.lon), o.assigned ? 1 : 0, id]),
      zones,
      kpis: kpiTiles(facts(currentFrom, now + 1, snapshot), comparable ? facts(previousFrom, currentFrom, previousSnapshot) : null),
      feed: [...this.feed].reverse(),
      counts: { events: this.events, invalid: this.invalid, byType: { ...this.byType } },
      plan: this.plan,
    };
  }

  private zoneName(id: string): string {
    const name = this.outlines.get(id)?.name;
    return name ? `${name} (${id})` : `zone ${id}`;
  }

  /** Simulated seconds per wall second over the last ~20 wall seconds of frames; null until known. */
  private measuredSpeed(wallNow: number, simNow: number): number | null {
    const samples = this.clockSamples;
    if (simNow > 0 && (samples.length === 0 || wallNow > samples.at(-1)![0])) samples.push([wallNow, simNow]);
    while (samples.length > 2 && wallNow - samples[0]![0] > 20_000) samples.shift();
    const [wall0, sim0] = samples[0] ?? [0, 0];
    if (wallNow - wall0 < 3_000 || simNow <= sim0) return null;
    return (simNow - sim0) / (wallNow - wall0);
  }

  private grow(zoneId: string, lat: number, lon: number): void {
    const z = this.zones.get(zoneId);
    if (!z) this.zones.set(zoneId, { minLat: lat, maxLat: lat, minLon: lon, maxLon: lon });
    else {
      if (lat < z.minLat) z.minLat = lat;
      if (lat > z.maxLat) z.maxLat = lat;
      if (lon < z.minLon) z.minLon = lon;
      if (lon > z.maxLon) z.maxLon = lon;
    }
  }

  /**
   * The feed is kept in simulated-time order, oldest first (the frame shows it newest first). The
   * reader folds topics as they arrive, and after a restart or a burst it catches up on one topic
   * ahead of another, so arrival order put a 23:51 roster plan between 00:08 orders. Events mostly
   * arrive in order, so the insertion walks back a step or two; equal times keep arrival order.
   */
  private note(ts: number, type: string, text: string): void {
    let i = this.feed.length;
    while (i > 0 && this.feed[i - 1]!.ts > ts) i--;
    // older than everything a full feed holds: it would be the first line dropped
    if (i === 0 && this.feed.length >= this.feedSize) return;
    this.feed.splice(i, 0, { ts, type, text });
    if (this.feed.length > this.feedSize) this.feed.shift();
  }
}
