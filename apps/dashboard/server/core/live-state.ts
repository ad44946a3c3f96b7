import type { LogEvent, RiderStatus, WeatherCondition } from '@riderflow/contracts';
import { TimedSeries } from './window.js';
import { kpiTiles, type KpiTile, type WindowFacts } from './kpis.js';
import { RosteringView } from './rostering-view.js';

// The live picture of the city, folded from the event stream. Pure: events in, frames out; the
// socket.io layer only decides how often to ask for a frame.

const WORLD_EVENT = /^(rider|order|weather)\./;
/** an open order with no news for this long is a leftover of an earlier run, not live */
const STALE_ORDER_MS = 2 * 3600_000;

export const RIDER_STATUS_CODES: Record<RiderStatus, number> = { idle: 0, to_store: 1, waiting: 2, to_customer: 3, repositioning: 4, off_shift: 5 };

interface Rider { lat: number; lon: number; status: RiderStatus; zoneId: string; ts: number }
interface OpenOrder { zoneId: string; lat: number; lon: number; placedAt: number; assigned: boolean }
interface Zone { minLat: number; maxLat: number; minLon: number; maxLon: number }

/**
 * Map coordinates in frames: 5 decimals is about a metre, finer than a map pixel. Full doubles
 * (17 digits) would make the rider list, most of a frame's bytes, about twice as large to send,
 * and to parse in every browser, several times a second.
 */
function coord(deg: number): number {
  return Math.round(deg * 1e5) / 1e5;
}

export interface FeedItem { ts: number; type: string; text: string }

export interface ZoneFrame {
  id: string;
  bounds: [number, number, number, number]; // minLat, minLon, maxLat, maxLon as observed
  ordersLastWindow: number;
  ridersPresent: number;
  weather: WeatherCondition;
  rainMmH: number;
  forecastOrders: number | null;
  ridersNeeded: number | null;
}

export interface LiveFrame {
  /** simulated clock: the newest event time seen */
  simTime: number;
  windowMin: number;
  /** [riderId, lat, lon, statusCode] */
  riders: [string, number, number, number][];
  ridersByStatus: Record<RiderStatus, number>;
  stores: [string, number, number][];
  /** [lat, lon, assigned 0|1] */
  openOrders: [number, number, number][];
  zones: ZoneFrame[];
  kpis: KpiTile[];
  feed: FeedItem[];
  counts: { events: number; invalid: number; byType: Record<string, number> };
  plan: { planId: string; modelVersion: string; bucketStart: number; moves: number; callIns: { hourStart: number; riders: number }[] } | null;
}

export interface LiveStateOptions {
  windowMin?: number;
  feedSize?: number;
  /** cap on riders sent per frame (the rest are counted, not drawn) */
  maxRidersInFrame?: number;
}

export class LiveState {
  private readonly riders = new Map<string, Rider>();
  private readonly orders = new Map<string, OpenOrder>();
  private readonly stores = new Map<string, [number, number]>();
  private readonly zones = new Map<string, Zone>();
  private readonly weather = new Map<string, { condition: WeatherCondition; rainMmH: number }>();
  private readonly created: TimedSeries<string>;
  private readonly delivered: TimedSeries<number>;
  private readonly cancelled: TimedSeries<number>;
  private readonly riderSnapshots: TimedSeries<{ onShift: number; idle: number; busy: number }>;
  private readonly feed: FeedItem[] = [];
  private plan: LiveFrame['plan'] = null;
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
    this.feedSize = options.feedSize ?? 40;
    this.maxRiders = options.maxRidersInFrame ?? 5_000;
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
    if (WORLD_EVENT.test(event.type) && event.ts > this.simTime) this.simTime = event.ts;
    switch (event.type) {
      case 'rider.location': {
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
        this.riders.set(event.riderId, { lat: event.lat, lon: event.lon, status: 'idle', zoneId: event.zoneId, ts: event.ts });
        this.note(event.ts, event.type, `rider ${event.riderId} started a shift in ${event.zoneId}`);
        break;
      case 'rider.shift_ended':
        this.riders.delete(event.riderId);
        this.note(event.ts, event.type, `rider ${event.riderId} ended the shift`);
        break;
      case 'order.created':
        this.orders.set(event.orderId, { zoneId: event.zoneId, lat: event.dropLat, lon: event.dropLon, placedAt: event.placedAt, assigned: false });
        this.stores.set(event.storeId, [event.storeLat, event.storeLon]);
        this.created.push(event.ts, event.zoneId);
        this.rostering.orderCreated(event.zoneId, event.ts, event.orderId);
        this.grow(event.zoneId, event.dropLat, event.dropLon);
        this.note(event.ts, event.type, `order ${event.orderId} from ${event.storeId} in ${event.zoneId}`);
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
        this.note(event.ts, event.type, `order ${event.orderId} delivered by ${event.riderId} in ${event.clickToDoorMin.toFixed(1)} min`);
        break;
      case 'order.cancelled':
        this.orders.delete(event.orderId);
        this.cancelled.push(event.ts, 1);
        this.rostering.orderClosed(event.orderId);
        this.note(event.ts, event.type, `order ${event.orderId} cancelled (${event.reason})`);
        break;
      case 'weather.updated':
        this.weather.set(event.zoneId, { condition: event.condition, rainMmH: event.rainMmH });
        this.note(event.ts, event.type, `${event.zoneId}: ${event.condition}${event.rainMmH ? ` ${event.rainMmH.toFixed(1)} mm/h` : ''}`);
        break;
      case 'dispatch.assigned':
        this.note(event.ts, event.type, `rider ${event.riderId} ← ${event.orderIds.length} order(s) at ${event.storeId}`);
        break;
      case 'dispatch.repositioned':
        this.note(event.ts, event.type, `rider ${event.riderId} → ${event.zoneId}`);
        break;
      case 'roster.plan':
        this.plan = { planId: event.planId, modelVersion: event.modelVersion, bucketStart: event.bucketStart, moves: event.moves.length, callIns: event.callIns };
        this.rostering.plan(event);
        this.planZones = new Map(event.zones.map((z) => [z.zoneId, { forecastOrders: z.forecastOrders, ridersNeeded: z.ridersNeeded }]));
        this.note(event.ts, event.type, `plan ${event.planId}: ${event.moves.length} moves, model ${event.modelVersion}`);
        break;
      case 'roster.model':
        this.rostering.model(event);
        this.note(event.ts, event.type, `retrain ${event.jobId}: ${event.status}${event.version ? ` → ${event.version}` : ''}; active model ${event.activeModel}`);
        break;
      case 'roster.shift_plan':
        this.rostering.shiftPlan(event);
        this.note(event.ts, event.type, `shifts booked for ${new Date(event.day).toISOString().slice(0, 10)}: ${event.shifts.length} riders (forecast: ${event.forecastSource})`);
        break;
      case 'event.dead':
        this.note(event.ts, event.type, `dead letter from ${event.sourceTopic}@${event.partition}:${event.offset}: ${event.reason}`);
        break;
      default:
        break;
    }
  }

  frame(): LiveFrame {
    const now = this.simTime;
    for (const [id, o] of this.orders) if (now - o.placedAt > STALE_ORDER_MS) this.orders.delete(id);
    for (const s of [this.created, this.delivered, this.cancelled, this.riderSnapshots]) s.trim(now);
    const ridersByStatus: Record<RiderStatus, number> = { idle: 0, to_store: 0, waiting: 0, to_customer: 0, repositioning: 0, off_shift: 0 };
    const riders: LiveFrame['riders'] = [];
    const presentByZone = new Map<string, number>();
    for (const [id, r] of this.riders) {
      ridersByStatus[r.status]++;
      presentByZone.set(r.zoneId, (presentByZone.get(r.zoneId) ?? 0) + 1);
      if (riders.length < this.maxRiders) riders.push([id, coord(r.lat), coord(r.lon), RIDER_STATUS_CODES[r.status]]);
    }
    const onShift = this.riders.size;
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

    const zones: ZoneFrame[] = [...this.zones.entries()]
      .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
      .map(([id, z]) => {
        const w = this.weather.get(id);
        const p = this.planZones.get(id);
        return {
          id,
          bounds: [z.minLat, z.minLon, z.maxLat, z.maxLon],
          ordersLastWindow: ordersByZone.get(id) ?? 0,
          ridersPresent: presentByZone.get(id) ?? 0,
          weather: w?.condition ?? 'clear',
          rainMmH: w?.rainMmH ?? 0,
          forecastOrders: p?.forecastOrders ?? null,
          ridersNeeded: p?.ridersNeeded ?? null,
        };
      });

    return {
      simTime: now,
      windowMin: this.windowMin,
      riders,
      ridersByStatus,
      stores: [...this.stores.entries()].map(([id, [lat, lon]]) => [id, coord(lat), coord(lon)]),
      openOrders: [...this.orders.values()].map((o) => [coord(o.lat), coord(o.lon), o.assigned ? 1 : 0]),
      zones,
      kpis: kpiTiles(facts(currentFrom, now + 1, snapshot), facts(previousFrom, currentFrom, previousSnapshot)),
      feed: [...this.feed].reverse(),
      counts: { events: this.events, invalid: this.invalid, byType: { ...this.byType } },
      plan: this.plan,
    };
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

  private note(ts: number, type: string, text: string): void {
    this.feed.push({ ts, type, text });
    if (this.feed.length > this.feedSize) this.feed.shift();
  }
}
