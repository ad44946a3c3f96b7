import type { LogEvent } from '@riderflow/contracts';
import { defaultDemand, generateCity, type PlannedOrder, type Shift, type World, type ZoneWeather } from '@riderflow/simulator';
import { PLANNING_SPEED_KMH, type Point } from '@riderflow/geo';

/** A lab input that cannot be replayed (empty window, a log the lab does not understand). */
export class LabInputError extends Error {
  override name = 'LabInputError';
}

/** Replays start this long before the window, so riders are busy when it opens, as they were. */
export const DEFAULT_WARM_UP_MS = 60 * 60_000;
/** Speed of a rider never seen moving when no rider was seen moving: the world's expected ride speed (@riderflow/geo). */
const FALLBACK_SPEED_KMH = PLANNING_SPEED_KMH;

/**
 * A recorded window rebuilt as a scripted world: the recorded orders (placed, ready and customer
 * cancellation times as they happened), the riders' shifts and start positions, and the recorded
 * weather. Only decisions and the world's response to them are left to simulate again.
 */
export interface RecordedWindow {
  /** The window KPIs cover. */
  fromMs: number;
  toMs: number;
  /** The replay starts here (fromMs minus the warm-up), so the window opens on a busy fleet, not an idle one. */
  replayFromMs: number;
  /** When the simulator that recorded the window started (simulatorStart; -Infinity when the log shows no start): the warm-up never reaches before it. */
  simulatorStartMs: number;
  world: World;
  orders: PlannedOrder[];
  shifts: Map<string, { shift: Shift; startPos: Point }>;
  weather: { at: number; zoneIndex: number; weather: ZoneWeather }[];
  pingIntervalMs: number;
  cancelAfterMs: number;
  /** The recorded events of the window itself (ts in [fromMs, toMs)), for the recorded KPIs. */
  events: LogEvent[];
  /** Everything recorded before the replay starts: what a live rostering service knew then (its demand history). */
  before: LogEvent[];
  /**
   * The riders' announcements of their hours (`rider.availability`) recorded during the replay: the
   * world's, so the replay makes them again at their times, and rostering can book those days.
   */
  availability: Extract<LogEvent, { type: 'rider.availability' }>[];
  /** What the log never showed, per order (see remaining-randomness.ts), and what it says about such draws. */
  unseen: UnseenDraws;
}

/**
 * The parts of the world the recorded run never revealed, which a replay whose decisions differ
 * may reach: a customer's patience when the order was picked up (or timed out) before they would
 * have cancelled, and the food's ready time when the order was cancelled before it was ready.
 */
export interface UnseenDraws {
  /** orderId → the customer was still waiting this long after placing the order (ms), and no longer cancellable after. */
  patientAtLeastMs: Map<string, number>;
  /** orderId → never ready in the recorded run; cancelled this long after placing it (ms). */
  readyAfterMs: Map<string, number>;
  /** Recorded prep times as a share of the announced ones (ready − placed) / (expected ready − placed). */
  prepRatios: number[];
  /** Recorded customer cancellations: share of created orders, and the patience range seen (ms). */
  customerCancelShare: number;
  patienceMs: { min: number; max: number };
}

function zoneNumber(zoneId: string): number {
  const m = /^z(\d+)$/.exec(zoneId);
  if (!m) throw new LabInputError(`zone id ${JSON.stringify(zoneId)} is not a city zone (z<number>): the lab replays city runs only`);
  return Number(m[1]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mode(values: number[], fallback: number): number {
  if (values.length === 0) return fallback;
  const counts = new Map<number, number>();
  let best = fallback, bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN || (n === bestN && v < best)) { best = v; bestN = n; }
  }
  return best;
}

/**
 * Rebuilds the window [fromMs, toMs) from everything the log holds before toMs (events before the
 * window tell which riders are already on shift and where). Pure and deterministic.
 */
export function rebuildWindow(all: readonly LogEvent[], windowFromMs: number, toMs: number, warmUpMs = DEFAULT_WARM_UP_MS): RecordedWindow {
  if (!(toMs > windowFromMs)) throw new LabInputError(`empty window: --to must be after --from`);
  // Topics interleave differently on every read: a total order (time, type, id) keeps the rebuild deterministic.
  const log = all.filter((e) => e.ts < toMs).sort((a, b) => a.ts - b.ts || cmp(a.type, b.type) || cmp(a.id, b.id));
  // The replay starts warmUpMs early, but never before the log does, nor before the world that
  // produced the window started (see simulatorStart).
  let first = Infinity;
  for (const e of all) if (e.ts < first) first = e.ts;
  const simulatorStartMs = simulatorStart(log, windowFromMs);
  const fromMs = Math.min(windowFromMs, Math.max(windowFromMs - warmUpMs, first, simulatorStartMs));
  let zoneCount = 0;
  for (const e of log) if ('zoneId' in e && typeof e.zoneId === 'string') zoneCount = Math.max(zoneCount, zoneNumber(e.zoneId));
  if (zoneCount === 0) throw new LabInputError('the log holds no zones before --to: nothing was recorded there');
  // The city's zone grid depends only on the zone count, so the simulator's own generator rebuilds it exactly.
  const city = generateCity({ seed: 'lab', zones: zoneCount, stores: 0, riders: 0, customers: 0 });
  const proj = city.projection;

  // Weather: the state of every zone at fromMs, then each recorded change inside the window.
  const weather: RecordedWindow['weather'] = [];
  const current = new Map<number, ZoneWeather>();
  const before = new Map<number, ZoneWeather>();
  const weatherOf = (zoneIndex: number) => current.get(zoneIndex)?.speedFactor ?? 1;
  const readyAt = new Map<string, number>();
  const customerCancelAt = new Map<string, number>();
  const pickedAt = new Map<string, number>();
  const timedOutAt = new Map<string, number>();
  const timeouts: number[] = [];
  const created = new Map<string, Extract<LogEvent, { type: 'order.created' }>>();
  const started = new Map<string, { at: number; end: number; pos: Point }>();
  const lastPos = new Map<string, Point>();
  const maxKmh = new Map<string, number>();
  const maxWetKmh = new Map<string, number>();
  const lastPing = new Map<string, number>();
  const pingGaps: number[] = [];
  for (const e of log) {
    switch (e.type) {
      case 'weather.updated': {
        const w: ZoneWeather = { condition: e.condition, rainMmH: e.rainMmH, demandFactor: e.demandFactor, speedFactor: e.speedFactor };
        const zi = zoneNumber(e.zoneId) - 1;
        current.set(zi, w);
        if (e.ts < fromMs) before.set(zi, w);
        else weather.push({ at: e.ts, zoneIndex: zi, weather: w });
        break;
      }
      case 'order.created': if (e.placedAt >= fromMs) created.set(e.orderId, e); break;
      case 'order.ready': readyAt.set(e.orderId, e.ts); break;
      case 'order.picked_up': pickedAt.set(e.orderId, e.ts); break;
      case 'order.cancelled':
        if (e.reason === 'customer') customerCancelAt.set(e.orderId, e.ts);
        else if (e.reason === 'unassigned_timeout' && created.has(e.orderId)) { timeouts.push(e.ts - created.get(e.orderId)!.placedAt); timedOutAt.set(e.orderId, e.ts); }
        break;
      case 'rider.shift_started': started.set(e.riderId, { at: e.ts, end: e.shiftEnd, pos: proj.toPoint(e.lat, e.lon) }); break;
      case 'rider.shift_ended': if (e.ts < fromMs) started.delete(e.riderId); break;
      case 'rider.location': {
        if (e.ts <= fromMs) lastPos.set(e.riderId, proj.toPoint(e.lat, e.lon));
        if (e.status === 'off_shift' && e.ts < fromMs) started.delete(e.riderId);
        // The ping's speed is the leg's, slowed by the weather where the leg began, which may not
        // be the ping's zone: legs pinged in clear weather are trusted first, others divided back out.
        const f = weatherOf(zoneNumber(e.zoneId) - 1);
        if (e.speedKmh > 0 && f === 1) maxKmh.set(e.riderId, Math.max(maxKmh.get(e.riderId) ?? 0, e.speedKmh));
        else if (e.speedKmh > 0 && f > 0) maxWetKmh.set(e.riderId, Math.max(maxWetKmh.get(e.riderId) ?? 0, e.speedKmh / f));
        const prev = lastPing.get(e.riderId);
        if (prev !== undefined && e.status !== 'off_shift') pingGaps.push(e.ts - prev);
        lastPing.set(e.riderId, e.ts);
        break;
      }
      default: break;
    }
  }

  // Each zone's weather as it stood when the window opens comes first.
  weather.unshift(...[...before].sort((a, b) => a[0] - b[0]).map(([zoneIndex, w]) => ({ at: fromMs, zoneIndex, weather: w })));

  const stores: World['stores'] = [];
  const storeIndex = new Map<string, number>();
  const customers: World['customers'] = [];
  const orders: PlannedOrder[] = [];
  const sorted = [...created.values()].sort((a, b) => a.placedAt - b.placedAt || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  for (const o of sorted) {
    let si = storeIndex.get(o.storeId);
    if (si === undefined) {
      si = stores.length;
      storeIndex.set(o.storeId, si);
      const pos = proj.toPoint(o.storeLat, o.storeLon);
      stores.push({ id: o.storeId, name: o.storeId, zoneIndex: zoneNumber(o.zoneId) - 1, pos, prepMeanMin: 13, prepSdMin: 0, popularity: 1 });
    }
    const zoneIndex = zoneNumber(o.zoneId) - 1;
    customers.push({ id: o.customerId, zoneIndex, pos: proj.toPoint(o.dropLat, o.dropLon) });
    const plan: PlannedOrder = {
      seq: orders.length, id: o.orderId, storeIndex: si, customerIndex: customers.length - 1, zoneIndex,
      placedAt: o.placedAt, readyAt: readyAt.get(o.orderId) ?? o.expectedReadyAt, expectedReadyAt: o.expectedReadyAt,
    };
    const cancelAt = customerCancelAt.get(o.orderId);
    if (cancelAt !== undefined) plan.customerCancelAt = cancelAt;
    orders.push(plan);
  }

  const unseen = unseenDraws(orders, { readyAt, pickedAt, timedOutAt, customerCancelAt }, toMs);

  const shifts = new Map<string, { shift: Shift; startPos: Point }>();
  const speeds = new Map<string, number>();
  for (const [riderId, s] of started) {
    if (s.end <= fromMs) continue;
    // A rider already on shift at fromMs starts the window where it last pinged.
    const startPos = s.at < fromMs ? (lastPos.get(riderId) ?? s.pos) : s.pos;
    shifts.set(riderId, { shift: { start: Math.max(s.at, fromMs), end: s.end }, startPos });
    speeds.set(riderId, (maxKmh.get(riderId) ?? maxWetKmh.get(riderId) ?? FALLBACK_SPEED_KMH) / 3.6);
  }
  // A rider never seen moving gets the fleet's median speed (it may well move in the replay).
  const seen = [...speeds.entries()].filter(([id]) => maxKmh.has(id) || maxWetKmh.has(id)).map(([, v]) => v).sort((a, b) => a - b);
  const fallbackMps = seen.length > 0 ? seen[Math.floor(seen.length / 2)] : FALLBACK_SPEED_KMH / 3.6;
  for (const id of speeds.keys()) if (!maxKmh.has(id) && !maxWetKmh.has(id)) speeds.set(id, fallbackMps);
  const riders = ridersInCityOrder(speeds);
  if (orders.length === 0) throw new LabInputError(`no order was placed between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);

  return {
    fromMs: windowFromMs, toMs, replayFromMs: fromMs, simulatorStartMs,
    world: { ...city, name: `recorded ${city.name}`, stores, customers, riders },
    orders, shifts, weather,
    pingIntervalMs: mode(pingGaps, 5_000),
    cancelAfterMs: timeouts.length > 0 ? Math.round(Math.min(...timeouts) / 1000) * 1000 : 20 * 60_000,
    events: log.filter((e) => e.ts >= windowFromMs),
    before: log.filter((e) => e.ts < fromMs),
    availability: log.filter((e): e is Extract<LogEvent, { type: 'rider.availability' }> => e.type === 'rider.availability' && e.ts >= fromMs),
    unseen,
  };
}

/**
 * When the simulator whose world the window shows started: the last instant at or before
 * windowFromMs at which a simulator announced again a shift already announced (a simulator
 * announces every shift it finds under way when it starts, with the shift's own id). Before it the
 * log was written by another run — on a first `npm start`, the statistical history — whose orders
 * still open then never end in the log (the new run does not know them) and whose riders the new
 * run restarts idle where its shifts began. A warm-up reaching back past it would replay those
 * orders (never ready, never cancelled: the riders sent to them wait for good) and that fleet.
 * -Infinity when the log shows no such start.
 */
export function simulatorStart(log: readonly LogEvent[], windowFromMs: number): number {
  const announced = new Set<string>();
  let start = -Infinity;
  for (const e of log) {
    if (e.type !== 'rider.shift_started') continue;
    if (announced.has(e.id) && e.ts <= windowFromMs) start = Math.max(start, e.ts);
    announced.add(e.id);
  }
  return start;
}

/** Customer patience the simulator's city draws when the log shows too few cancellations to tell (minutes). */
const PATIENCE_FALLBACK_MIN = { min: 2, max: 15 };

function unseenDraws(
  orders: readonly PlannedOrder[],
  seen: { readyAt: Map<string, number>; pickedAt: Map<string, number>; timedOutAt: Map<string, number>; customerCancelAt: Map<string, number> },
  toMs: number,
): UnseenDraws {
  const patientAtLeastMs = new Map<string, number>();
  const readyAfterMs = new Map<string, number>();
  const prepRatios: number[] = [];
  const patience: number[] = [];
  for (const o of orders) {
    const cancelledAt = seen.customerCancelAt.get(o.id);
    if (cancelledAt !== undefined) patience.push(cancelledAt - o.placedAt);
    else patientAtLeastMs.set(o.id, (seen.pickedAt.get(o.id) ?? seen.timedOutAt.get(o.id) ?? toMs) - o.placedAt);
    const ready = seen.readyAt.get(o.id);
    if (ready !== undefined && o.expectedReadyAt > o.placedAt) prepRatios.push((ready - o.placedAt) / (o.expectedReadyAt - o.placedAt));
    else if (ready === undefined) readyAfterMs.set(o.id, (cancelledAt ?? seen.timedOutAt.get(o.id) ?? toMs) - o.placedAt);
  }
  // Few cancellations say little about how many customers give up, or when: below 5 the city's own
  // generator's share and range are used.
  const few = patience.length < 5;
  return {
    patientAtLeastMs, readyAfterMs, prepRatios,
    customerCancelShare: few ? defaultDemand(1).customerCancelShare : patience.length / orders.length,
    patienceMs: few ? { min: PATIENCE_FALLBACK_MIN.min * 60_000, max: PATIENCE_FALLBACK_MIN.max * 60_000 } : { min: Math.min(...patience), max: Math.max(...patience) },
  };
}

/**
 * The city numbers its riders r1..rN and a rider's place in that list sets its ping phase; riders
 * keep their places here (riders never seen on shift fill the gaps and stay off), so the replayed
 * pings fall on the recorded instants. Other ids keep a sorted order.
 */
function ridersInCityOrder(speeds: Map<string, number>): World['riders'] {
  const ids = [...speeds.keys()];
  const profile = (id: string, speedMps: number) => ({ id, homeZoneIndex: 0, vehicle: 'bike' as const, speedMps });
  if (ids.every((id) => /^r[1-9]\d{0,6}$/.test(id))) {
    const n = Math.max(0, ...ids.map((id) => Number(id.slice(1))));
    return Array.from({ length: n }, (_, i) => profile(`r${i + 1}`, speeds.get(`r${i + 1}`) ?? FALLBACK_SPEED_KMH / 3.6));
  }
  return ids.sort().map((id) => profile(id, speeds.get(id)!));
}
