import type { LogEvent, RiderInstruction, RiderStatus, RosterCallIn, RosterShift } from '@riderflow/contracts';
import { advancedShift, pickCallIns, type CallInCandidate } from './call-in.js';
import { bookingRefusal } from './shift-booking.js';
import { buildDemandIndex, ordersForMinute, type DemandIndex, type DemandSettings, type PlannedOrder } from '../world/demand.js';
import { createRng, distance, rideMs, wholeMinutes, type Point, type Rng } from '@riderflow/geo';
import { shiftForDay, type Shift } from '../world/shifts.js';
import { DAY, HOUR, MINUTE, dayStart } from '../world/time.js';
import { CLEAR, FRONT_LOOKBACK_MS, WEATHER_TICK_MS, frontsForDay, rainAt, sameWeather, weatherFromRain, type Front, type ZoneWeather } from '../world/weather.js';
import { zoneIndexAt, type World } from '../world/world.js';
import { MinHeap } from './heap.js';
import { handedStage, positionsById, type HandedOrder, type HandoverWorld, type HistoryHandover, type LiveService, type PlannedService } from './history-handover.js';
import { SolutionTrace, type AssignmentRecord } from './solution-trace.js';

export interface SimulationSettings {
  seed: string;
  startMs: number;
  /** Nothing at or after this simulated time is processed. */
  endMs: number;
  pingIntervalMs: number;
  /** Orders nobody assigned within this time are cancelled (reason unassigned_timeout). */
  cancelAfterMs: number;
  /** Generated demand (city); omit when orders are scripted (MDRP). */
  demand?: DemandSettings;
  /** Moving rain fronts (city); off for MDRP, whose travel times are fixed. */
  weather: boolean;
  /** MDRP: the instance's orders, already on the simulated timeline. */
  scriptedOrders?: PlannedOrder[];
  /** MDRP: each rider's shifts, already on the simulated timeline, and where it starts. */
  scriptedShifts?: Map<string, { shift: Shift; startPos: Point }>;
  /**
   * History mode: no instructions; a statistical model of service (a free on-shift rider
   * nearby takes the order after a short delay) produces the lifecycle. For training data only.
   */
  history?: boolean;
  /** Record what riders did in the MDRP evaluator's terms (see `trace`). */
  recordSolution?: boolean;
  /**
   * Lab replay: the weather as it was recorded (each zone's changes, in time order). Use with
   * weather: false; every zone starts clear and takes each recorded state at its time.
   */
  scriptedWeather?: { at: number; zoneIndex: number; weather: ZoneWeather }[];
  /**
   * Lab replay: the scripted shifts are a roster the office manages as it does a generated one —
   * it calls riders in (a rider whose scripted shift starts later today starts now, same hours)
   * and takes rostering's bookings (the rider's scripted hours that day, starting when rostering
   * asks). MDRP shifts stay fixed (off).
   */
  rosterScriptedShifts?: boolean;
  /**
   * Lab replay: the riders' recorded announcements of their hours (`rider.availability`), put on
   * the log at their recorded times, as the world made them. Scripted shifts announce nothing
   * themselves (a recording knows a rider's hours only once its shift began).
   */
  scriptedAvailability?: Extract<LogEvent, { type: 'rider.availability' }>[];
  /**
   * Events put on the log at startMs after the world's own start (its weather, shift starts and
   * announcements at that instant): a resumed start's cancellations of the orders an earlier run
   * left in flight, so a reader that keeps the newest lines (the dashboard's feed) shows them.
   */
  atStart?: LogEvent[];
  /**
   * A first start's live run, right after the history it continues: the history's riders start
   * where they are and its orders in flight are finished (history-handover.ts), not cancelled.
   */
  takeOver?: HistoryHandover;
}

/** Simulated hour of the day at which riders announce the next day's hours. */
export const AVAILABILITY_HOUR = 18;
/** Riders starting sooner than this after an announcement do not announce (they are on their way). */
export const AVAILABILITY_LEAD_MS = HOUR;

export type InstructionOutcome = { accepted: true; orders: number } | { accepted: false; reason: string };

type OrderStatus = 'open' | 'assigned' | 'picked' | 'done';
interface OrderState {
  plan: PlannedOrder;
  status: OrderStatus;
  riderId?: string;
}

interface PickupJob {
  kind: 'pickup';
  assignmentId: string;
  storeIndex: number;
  storePos: Point;
  orders: OrderState[];
  dropIndex: number;
  record?: AssignmentRecord;
}
interface RepositionJob { kind: 'reposition'; zoneId: string; to: Point }
type Job = PickupJob | RepositionJob;

interface RiderState {
  idx: number;
  id: string;
  speedMps: number;
  homeZoneIndex: number;
  onShift: boolean;
  shiftEnd: number;
  from: Point;
  to: Point;
  legStart: number;
  legEnd: number;
  status: RiderStatus;
  /** Bumped on every change of plan; timeline entries of an older version are stale and skipped. */
  version: number;
  job: Job | null;
  queue: RiderInstruction[];
  pingOffset: number;
  /** History mode: free again at this time. */
  busyUntil: number;
}

type Entry =
  | { at: number; prio: number; seq: number; kind: 'day' | 'weather' | 'demand' }
  | { at: number; prio: number; seq: number; kind: 'availability'; day: number }
  | { at: number; prio: number; seq: number; kind: 'place'; order: PlannedOrder }
  | { at: number; prio: number; seq: number; kind: 'ready' | 'timeout' | 'customerCancel'; orderId: string }
  | { at: number; prio: number; seq: number; kind: 'shiftStart'; rider: number; shift: Shift; startPos?: Point; handed?: true }
  | { at: number; prio: number; seq: number; kind: 'shiftEnd' | 'ping'; rider: number; version: number }
  | { at: number; prio: number; seq: number; kind: 'step'; rider: number; version: number; step: Step }
  | { at: number; prio: number; seq: number; kind: 'emit'; event: LogEvent }
  | { at: number; prio: number; seq: number; kind: 'setWeather'; zoneIndex: number; weather: ZoneWeather }
  | { at: number; prio: number; seq: number; kind: 'adopt'; order: HandedOrder }
  | { at: number; prio: number; seq: number; kind: 'handedAssign'; orderId: string; rider: number };

type Step = 'begin' | 'arriveStore' | 'pickup' | 'depart' | 'arriveDrop' | 'drop' | 'leaveDrop' | 'arriveReposition';
type EntryInit = Entry extends infer E ? (E extends Entry ? Omit<E, 'seq' | 'prio'> : never) : never;

// World ticks run before everything else at the same instant, so demand at t sees weather at t.
const PRIO: Record<Entry['kind'], number> = {
  // adopt after shiftStart: a handed-over order's rider is on shift (and where the history left it) first.
  day: 0, availability: 0, weather: 1, setWeather: 1, demand: 2, place: 3, shiftStart: 4, adopt: 5, handedAssign: 5, ready: 5, step: 6, emit: 6, shiftEnd: 7, customerCancel: 8, timeout: 9, ping: 10,
};

export interface SimulationStats {
  ordersCreated: number;
  ordersDelivered: number;
  ordersCancelled: number;
  instructionsAccepted: number;
  instructionsRejected: number;
  ridersOnShift: number;
  /** Call-in requests received from rostering, and riders whose later shift they moved to now. */
  callInRequests: number;
  ridersCalledIn: number;
  /** Shift bookings from rostering (`roster.shift`) the office took, and those it refused. */
  shiftsBooked: number;
  shiftBookingsRefused: number;
}

/**
 * The simulated world in motion: a pure discrete-event loop with no I/O. `advance` runs the
 * timeline up to a simulated time and appends the events that happened to `out`; `instruct`
 * hands a rider an instruction at the current simulated time. The same settings and the same
 * instructions at the same simulated times give the same events.
 */
export class Simulation {
  readonly stats: SimulationStats = { ordersCreated: 0, ordersDelivered: 0, ordersCancelled: 0, instructionsAccepted: 0, instructionsRejected: 0, ridersOnShift: 0, callInRequests: 0, ridersCalledIn: 0, shiftsBooked: 0, shiftBookingsRefused: 0 };
  private readonly heap = new MinHeap<Entry>();
  private seq = 0;
  private nowMs: number;
  private readonly riders: RiderState[];
  private readonly riderIndex = new Map<string, number>();
  private readonly orders = new Map<string, OrderState>();
  private readonly zoneWeather: ZoneWeather[];
  private fronts: Front[] = [];
  private readonly demandRng: Rng;
  private readonly historyRng: Rng;
  private readonly demandIndex: DemandIndex | null;
  private nextOrderSeq = 1;
  private out: LogEvent[] = [];
  private readonly onShiftRiders: number[] = [];
  private readonly onShiftPos: Int32Array;
  /** Set when settings.recordSolution: what riders did, for the MDRP evaluator. */
  readonly trace: SolutionTrace | null;
  private readonly assignmentRecords = new Map<string, AssignmentRecord>();
  /** Rostered shifts moved earlier by a call-in (`riderIdx:originalStart`): their scheduled start is void. */
  private readonly calledInShifts = new Set<string>();
  /** Shifts rostering booked (`riderIdx:dayStart`): they replace the rider's own start time that day. */
  private readonly bookedShifts = new Map<string, { shift: Shift; startPos?: Point }>();
  /** History mode: the service planned for each order served, kept until it is delivered (for the hand-over). */
  private readonly historyServed = new Map<string, HandedOrder & { service: PlannedService }>();
  /** Take-over: where the history left each rider on shift; used by its shift start at startMs. */
  private readonly handedPositions: Map<string, Point>;

  constructor(readonly world: World, readonly settings: SimulationSettings) {
    this.nowMs = settings.startMs;
    this.demandRng = createRng(settings.seed).fork('demand');
    this.historyRng = createRng(settings.seed).fork('history');
    this.demandIndex = settings.demand ? buildDemandIndex(world) : null;
    this.zoneWeather = world.zones.map(() => CLEAR);
    this.onShiftPos = new Int32Array(world.riders.length).fill(-1);
    this.trace = settings.recordSolution ? new SolutionTrace() : null;
    this.handedPositions = settings.takeOver ? positionsById(settings.takeOver) : new Map();
    this.riders = world.riders.map((p, idx) => {
      this.riderIndex.set(p.id, idx);
      const home = world.zones[p.homeZoneIndex].centre;
      return {
        idx, id: p.id, speedMps: p.speedMps, homeZoneIndex: p.homeZoneIndex, onShift: false, shiftEnd: 0,
        from: home, to: home, legStart: 0, legEnd: 0, status: 'off_shift', version: 0, job: null, queue: [],
        pingOffset: Math.floor(((idx * 2654435761) % 4294967296) / 4294967296 * settings.pingIntervalMs), busyUntil: 0,
      };
    });
    this.bootstrap();
  }

  get now(): number { return this.nowMs; }
  get done(): boolean { return this.nowMs >= this.settings.endMs; }
  /** Simulated time of the next thing that will happen (Infinity when nothing is left). */
  get nextAt(): number { return this.heap.peek()?.at ?? Infinity; }

  /** Runs everything scheduled before `untilMs` (capped at endMs), appending events to `out`. */
  advance(untilMs: number, out: LogEvent[], maxEvents = Infinity): void {
    const limit = Math.min(untilMs, this.settings.endMs);
    this.out = out;
    const startLen = out.length;
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.at >= limit) break;
      if (out.length - startLen >= maxEvents) return; // caller resumes later; clock stays at the last entry handled
      this.heap.pop();
      this.nowMs = top.at;
      this.handle(top);
    }
    this.nowMs = Math.max(this.nowMs, limit);
  }

  /** A rider receives an instruction now (or the office a call-in). Invalid instructions are refused and change nothing. */
  instruct(instr: RiderInstruction | RosterCallIn | RosterShift, out: LogEvent[]): InstructionOutcome {
    if (instr.type === 'roster.shift') {
      const refused = this.bookShift(instr);
      return refused === null ? { accepted: true, orders: 0 } : { accepted: false, reason: refused };
    }
    if (instr.type === 'roster.call_in') {
      const started = this.callIn(instr, out);
      return started > 0 ? { accepted: true, orders: 0 } : { accepted: false, reason: 'no rostered rider to call in' };
    }
    this.out = out;
    const res = this.applyInstruction(instr);
    if (res.accepted) this.stats.instructionsAccepted++; else this.stats.instructionsRejected++;
    return res;
  }

  /**
   * The operations office acts on a call-in: up to `riders` rostered riders who are off shift now
   * but have a shift later today start now, in or near the zone asked for, and end earlier by as
   * much (same rider-hours). Generated rosters, and scripted shifts with rosterScriptedShifts (the
   * lab's replays; MDRP shifts are fixed); touches no
   * demand or weather randomness. Returns how many riders started.
   */
  callIn(req: RosterCallIn, out: LogEvent[]): number {
    this.out = out;
    this.stats.callInRequests++;
    const scripted = this.settings.scriptedShifts;
    if (this.settings.history || (scripted && !this.settings.rosterScriptedShifts)) return 0;
    const now = this.nowMs;
    const day = dayStart(now);
    const candidates: CallInCandidate[] = [];
    for (const p of this.world.riders) {
      const idx = this.riderIndex.get(p.id)!;
      if (this.riders[idx].onShift) continue;
      // A scripted shift is the rider's roster; it starts where the script says (its "home").
      const own = scripted?.get(p.id);
      const shift = this.shiftOf(idx, day);
      if (!shift || shift.start <= now || this.calledInShifts.has(`${idx}:${shift.start}`)) continue;
      candidates.push({ idx, id: p.id, home: own?.startPos ?? this.world.zones[p.homeZoneIndex].centre, shift });
    }
    const zone = req.zoneId === undefined ? undefined : this.world.zones.find((z) => z.id === req.zoneId);
    const target = zone ? zone.centre : null;
    const picked = pickCallIns(candidates, req.riders, target);
    for (const c of picked) {
      this.calledInShifts.add(`${c.idx}:${c.shift.start}`);
      const rng = createRng(`${this.settings.seed}/call-in/${c.id}/${now}`);
      const at = target ?? c.home;
      this.startShift(c.idx, advancedShift(c.shift, now), { x: Math.round(at.x + rng.range(-600, 600)), y: Math.round(at.y + rng.range(-600, 600)) });
    }
    this.stats.ridersCalledIn += picked.length;
    return picked.length;
  }

  /**
   * The operations office takes a shift booking from rostering: the rider works its own hours on
   * that day, starting when rostering asks (near the zone given). Returns why it refused, or null.
   */
  bookShift(req: RosterShift): string | null {
    const refuse = (reason: string) => { this.stats.shiftBookingsRefused++; return reason; };
    const scripted = this.settings.scriptedShifts;
    if (this.settings.history || (scripted && !this.settings.rosterScriptedShifts)) return refuse('shifts are fixed in this scenario');
    const idx = this.riderIndex.get(req.riderId);
    if (idx === undefined) return refuse(`unknown rider ${req.riderId}`);
    const own = this.ownShift(idx, req.day);
    // A script (a lab replay) knows a rider's hours on a day only if that shift began before the
    // recording ends: a booking of a later shift has nothing in this run to act on.
    if (scripted && !own) return refuse(`the recording holds no shift of rider ${req.riderId} on ${new Date(req.day).toISOString().slice(0, 10)} that began before this run ends (${new Date(this.settings.endMs).toISOString()})`);
    const current = this.shiftOf(idx, req.day);
    const begun = current !== null && (current.start <= this.nowMs || this.calledInShifts.has(`${idx}:${current.start}`));
    const reason = bookingRefusal(req, own, begun, this.nowMs);
    if (reason !== null) return refuse(reason);
    const zone = req.zoneId === undefined ? undefined : this.world.zones.find((z) => z.id === req.zoneId);
    let startPos: Point | undefined;
    if (zone) {
      const rng = createRng(`${this.settings.seed}/booked/${req.riderId}/${req.start}`);
      startPos = { x: Math.round(zone.centre.x + rng.range(-600, 600)), y: Math.round(zone.centre.y + rng.range(-600, 600)) };
    } else if (scripted) startPos = scripted.get(req.riderId)?.startPos; // where the script has the rider start
    const booked = { shift: { start: req.start, end: req.end }, startPos };
    this.bookedShifts.set(`${idx}:${req.day}`, booked);
    // Today's shifts (and all of a script's) are already on the timeline: add the booked start (the
    // old one is now stale). A later day's generated shifts are put there when it begins, from shiftOf.
    if (scripted || req.day <= dayStart(this.nowMs)) this.schedule({ at: req.start, kind: 'shiftStart', rider: idx, shift: booked.shift, startPos });
    this.stats.shiftsBooked++;
    return null;
  }

  /** Where a rider's shift on a day starts now (a booking's start, else its own; null on a day off or for an unknown rider). */
  shiftStartOn(riderId: string, day: number): number | null {
    const idx = this.riderIndex.get(riderId);
    return idx === undefined ? null : this.shiftOf(idx, day)?.start ?? null;
  }

  /** The shift a rider works on a day: rostering's booking, else its own. */
  private shiftOf(idx: number, day: number): Shift | null {
    return this.bookedShifts.get(`${idx}:${day}`)?.shift ?? this.ownShift(idx, day);
  }

  /** A rider's own hours on a day, before any booking: its generated roster's, or its scripted shift's when that falls on the day. */
  private ownShift(idx: number, day: number): Shift | null {
    const scripted = this.settings.scriptedShifts;
    if (!scripted) return shiftForDay(this.settings.seed, this.world.riders[idx], day);
    const own = scripted.get(this.world.riders[idx].id);
    return own && dayStart(own.shift.start) === day ? own.shift : null;
  }

  /**
   * Riders announce the hours they will work on `day`, so rostering can book when those hours
   * fall; those due to start within AVAILABILITY_LEAD_MS do not (a booking could not reach them).
   */
  private announceAvailability(day: number): void {
    for (const r of this.world.riders) {
      const idx = this.riderIndex.get(r.id)!;
      const shift = this.shiftOf(idx, day);
      if (!shift || shift.start <= this.nowMs + AVAILABILITY_LEAD_MS) continue;
      this.emit({ type: 'rider.availability', v: 1, id: `${r.id}:availability:${day}`, ts: this.nowMs, riderId: r.id, day, hours: (shift.end - shift.start) / HOUR, homeZoneId: this.world.zones[r.homeZoneIndex].id });
    }
  }

  /** Riders currently on shift (for progress output). */
  get ridersOnShift(): number { return this.onShiftRiders.length; }

  // ---- timeline -------------------------------------------------------------------------------

  /** Entries are fresh literals: stamp them in place rather than copying (this is the hot path). */
  private schedule(e: EntryInit): void {
    const entry = e as Entry;
    entry.prio = PRIO[e.kind];
    entry.seq = this.seq++;
    this.heap.push(entry);
  }

  private bootstrap(): void {
    const { startMs, scriptedOrders, scriptedShifts } = this.settings;
    if (this.settings.weather) {
      this.fronts = [
        ...frontsForDay(createRng(this.settings.seed).fork(`weather/${dayStart(startMs) - DAY}`), this.world, dayStart(startMs) - DAY),
        ...frontsForDay(createRng(this.settings.seed).fork(`weather/${dayStart(startMs)}`), this.world, dayStart(startMs)),
      ];
    }
    this.schedule({ at: startMs, kind: 'weather' });
    // Scheduled after the start's weather tick, so a recorded state at startMs wins over the initial clear.
    for (const w of this.settings.scriptedWeather ?? []) this.schedule({ at: Math.max(startMs, w.at), kind: 'setWeather', zoneIndex: w.zoneIndex, weather: w.weather });
    // Demand runs in whole simulated minutes, which name the orders placed in them: a start in the
    // middle of a minute (a resumed start continues one second after the log's newest record) has
    // its first orders in the next minute, so it never reuses an id an earlier run placed.
    if (this.settings.demand) this.schedule({ at: Math.ceil(startMs / MINUTE) * MINUTE, kind: 'demand' });
    for (const o of scriptedOrders ?? []) this.schedule({ at: Math.max(startMs, o.placedAt), kind: 'place', order: o });
    for (const event of this.settings.atStart ?? []) this.schedule({ at: startMs, kind: 'emit', event });
    // Orders with a rider first, so a waiting order's nearest free rider is not one the history had busy.
    // A live hand-over's riders go on shift first, where they were and until their shift's end then.
    for (const p of this.settings.takeOver?.positions ?? []) {
      const idx = this.riderIndex.get(p.riderId);
      if (idx !== undefined && p.shiftEnd !== undefined) this.schedule({ at: startMs, kind: 'shiftStart', rider: idx, shift: { start: startMs, end: p.shiftEnd }, startPos: { x: p.x, y: p.y }, handed: true });
    }
    const handed = this.settings.takeOver?.orders ?? [];
    for (const order of [...handed.filter((o) => o.service || o.live), ...handed.filter((o) => !o.service && !o.live)]) this.schedule({ at: startMs, kind: 'adopt', order });
    if (scriptedShifts) {
      for (const [riderId, { shift, startPos }] of scriptedShifts) {
        const idx = this.riderIndex.get(riderId);
        if (idx !== undefined && shift.end > startMs) this.schedule({ at: Math.max(startMs, shift.start), kind: 'shiftStart', rider: idx, shift, startPos });
      }
      for (const a of this.settings.scriptedAvailability ?? []) if (a.ts >= startMs) this.schedule({ at: a.ts, kind: 'emit', event: a });
    } else {
      // Shifts that began yesterday may still run; shifts of today may have begun before start.
      for (const day of [dayStart(startMs) - DAY, dayStart(startMs)]) this.planShifts(day, startMs);
      this.schedule({ at: dayStart(startMs) + DAY, kind: 'day' });
      // Riders announce their hours the evening before (AVAILABILITY_HOUR); at the start of a
      // run, those who have not started yet announce today's at once.
      if (!this.settings.history) {
        const today = dayStart(startMs);
        this.schedule({ at: startMs, kind: 'availability', day: today });
        this.schedule({ at: Math.max(startMs, today + AVAILABILITY_HOUR * HOUR), kind: 'availability', day: today + DAY });
      }
    }
  }

  private planShifts(day: number, notBefore: number): void {
    for (const r of this.world.riders) {
      const idx = this.riderIndex.get(r.id)!;
      const booked = this.bookedShifts.get(`${idx}:${day}`);
      const shift = booked?.shift ?? shiftForDay(this.settings.seed, r, day);
      if (!shift || shift.end <= notBefore) continue;
      this.schedule({ at: Math.max(notBefore, shift.start), kind: 'shiftStart', rider: idx, shift, startPos: booked?.startPos });
    }
  }

  private handle(e: Entry): void {
    switch (e.kind) {
      case 'day': {
        this.planShifts(e.at, e.at);
        if (!this.settings.history) this.schedule({ at: e.at + AVAILABILITY_HOUR * HOUR, kind: 'availability', day: e.at + DAY });
        for (const key of this.bookedShifts.keys()) if (Number(key.split(':')[1]) < e.at - DAY) this.bookedShifts.delete(key);
        for (const [id, o] of this.historyServed) if (o.service.deliveredAt < e.at) this.historyServed.delete(id);
        if (this.settings.weather) {
          this.fronts = this.fronts.filter((f) => f.endMs > e.at - FRONT_LOOKBACK_MS);
          this.fronts.push(...frontsForDay(createRng(this.settings.seed).fork(`weather/${e.at}`), this.world, e.at));
        }
        this.schedule({ at: e.at + DAY, kind: 'day' });
        return;
      }
      case 'availability': return this.announceAvailability(e.day);
      case 'weather': return this.weatherTick(e.at);
      case 'setWeather': {
        this.zoneWeather[e.zoneIndex] = e.weather;
        const z = this.world.zones[e.zoneIndex];
        return this.emit({ type: 'weather.updated', v: 1, id: `${z.id}:${e.at}`, ts: e.at, zoneId: z.id, ...e.weather });
      }
      case 'demand': {
        const orders = ordersForMinute(this.demandRng, this.world, this.demandIndex!, this.settings.demand!, e.at, (z) => this.zoneWeather[z].demandFactor, this.nextOrderSeq);
        this.nextOrderSeq += orders.length;
        for (const o of orders) this.schedule({ at: o.placedAt, kind: 'place', order: o });
        this.schedule({ at: e.at + MINUTE, kind: 'demand' });
        return;
      }
      case 'place': return this.placeOrder(e.order);
      case 'ready': {
        const o = this.orders.get(e.orderId);
        if (o && o.status !== 'done') this.emit({ type: 'order.ready', v: 1, id: `${o.plan.id}:ready`, ts: this.nowMs, orderId: o.plan.id, storeId: this.world.stores[o.plan.storeIndex].id });
        return;
      }
      case 'timeout': {
        const o = this.orders.get(e.orderId);
        if (o && o.status === 'open') this.cancel(o, 'unassigned_timeout');
        return;
      }
      case 'customerCancel': {
        const o = this.orders.get(e.orderId);
        if (o && (o.status === 'open' || o.status === 'assigned')) this.cancel(o, 'customer');
        return;
      }
      case 'shiftStart':
        // A live hand-over's rider was on shift when the earlier run stopped (maybe by a booking or a call-in this run never saw).
        if (e.handed) return this.startShift(e.rider, e.shift, e.startPos);
        if (this.calledInShifts.has(`${e.rider}:${e.shift.start}`)) return; // already worked earlier
        // A booking replaced this start (or a later booking replaced that one).
        if (this.shiftOf(e.rider, dayStart(e.shift.start))?.start !== e.shift.start) return;
        return this.startShift(e.rider, e.shift, e.startPos);
      case 'shiftEnd': {
        const r = this.riders[e.rider];
        // Not version-checked: plans change during a shift, the shift's end does not.
        if (!r.onShift || e.at < r.shiftEnd) return;
        if (r.job === null || r.job.kind === 'reposition' || this.settings.history) this.endShift(r);
        // A rider with food on board finishes the job first; finishJob ends the shift.
        return;
      }
      case 'ping': {
        const r = this.riders[e.rider];
        if (!r.onShift) return;
        this.ping(r);
        e.at += this.settings.pingIntervalMs; // reuse the entry: one ping per rider every few seconds adds up
        e.seq = this.seq++;
        this.heap.push(e);
        return;
      }
      case 'step': {
        const r = this.riders[e.rider];
        if (e.version === r.version) this.step(r, e.step);
        return;
      }
      case 'emit': return this.emit(e.event);
      case 'adopt': return this.adopt(e.order);
      case 'handedAssign': {
        const o = this.orders.get(e.orderId);
        if (o?.status === 'open') this.assignHandedOver(o, this.riders[e.rider].onShift ? this.riders[e.rider] : null);
        return;
      }
    }
  }

  private emit(e: LogEvent): void {
    this.out.push(e);
  }

  private weatherTick(t: number): void {
    if (this.settings.weather) {
      for (const z of this.world.zones) {
        const { rain, nearest } = rainAt(this.fronts, z.centre, t);
        const w = weatherFromRain(rain, nearest);
        if (t === this.settings.startMs || !sameWeather(w, this.zoneWeather[z.index])) {
          this.zoneWeather[z.index] = w;
          this.emit({ type: 'weather.updated', v: 1, id: `${z.id}:${t}`, ts: t, zoneId: z.id, ...w });
        }
      }
      this.schedule({ at: t - (t % WEATHER_TICK_MS) + WEATHER_TICK_MS, kind: 'weather' });
    } else if (t === this.settings.startMs) {
      for (const z of this.world.zones) this.emit({ type: 'weather.updated', v: 1, id: `${z.id}:${t}`, ts: t, zoneId: z.id, ...CLEAR });
    }
  }

  // ---- orders ---------------------------------------------------------------------------------

  private placeOrder(plan: PlannedOrder): void {
    const store = this.world.stores[plan.storeIndex];
    const customer = this.world.customers[plan.customerIndex];
    const sp = this.world.projection.toLatLon(store.pos);
    const dp = this.world.projection.toLatLon(customer.pos);
    const o: OrderState = { plan, status: 'open' };
    this.orders.set(plan.id, o);
    this.stats.ordersCreated++;
    this.emit({
      type: 'order.created', v: 1, id: `${plan.id}:created`, ts: this.nowMs, orderId: plan.id, storeId: store.id, customerId: customer.id,
      zoneId: this.world.zones[plan.zoneIndex].id, storeLat: sp.lat, storeLon: sp.lon, dropLat: dp.lat, dropLon: dp.lon,
      placedAt: plan.placedAt, expectedReadyAt: plan.expectedReadyAt,
    });
    this.schedule({ at: Math.max(this.nowMs, plan.readyAt), kind: 'ready', orderId: plan.id });
    this.schedule({ at: plan.placedAt + this.settings.cancelAfterMs, kind: 'timeout', orderId: plan.id });
    if (plan.customerCancelAt !== undefined) this.schedule({ at: plan.customerCancelAt, kind: 'customerCancel', orderId: plan.id });
    if (this.settings.history) this.serveStatistically(o);
  }

  private cancel(o: OrderState, reason: 'unassigned_timeout' | 'customer'): void {
    o.status = 'done';
    this.orders.delete(o.plan.id);
    this.stats.ordersCancelled++;
    this.emit({ type: 'order.cancelled', v: 1, id: `${o.plan.id}:cancelled`, ts: this.nowMs, orderId: o.plan.id, reason });
  }

  // ---- riders ---------------------------------------------------------------------------------

  private startShift(idx: number, shift: Shift, startPos?: Point): void {
    const r = this.riders[idx];
    if (r.onShift) return;
    const rng = createRng(`${this.settings.seed}/start/${r.id}/${shift.start}`);
    const home = this.world.zones[r.homeZoneIndex].centre;
    const handed = this.nowMs === this.settings.startMs ? this.handedPositions.get(r.id) : undefined;
    this.handedPositions.delete(r.id);
    const pos = startPos ?? handed ?? { x: Math.round(home.x + rng.range(-600, 600)), y: Math.round(home.y + rng.range(-600, 600)) };
    r.onShift = true;
    this.trace?.shiftStarted(r.id);
    r.shiftEnd = shift.end;
    r.from = pos; r.to = pos; r.legStart = this.nowMs; r.legEnd = this.nowMs;
    r.status = 'idle';
    r.job = null;
    r.queue = [];
    r.version++;
    this.onShiftPos[idx] = this.onShiftRiders.length;
    this.onShiftRiders.push(idx);
    this.stats.ridersOnShift = this.onShiftRiders.length;
    const ll = this.world.projection.toLatLon(pos);
    const zoneId = this.world.zones[zoneIndexAt(this.world.grid, pos)].id;
    this.emit({ type: 'rider.shift_started', v: 1, id: `${r.id}:shift:${shift.start}`, ts: this.nowMs, riderId: r.id, zoneId, lat: ll.lat, lon: ll.lon, shiftEnd: shift.end });
    this.ping(r);
    const phase = (((r.pingOffset - this.nowMs) % this.settings.pingIntervalMs) + this.settings.pingIntervalMs) % this.settings.pingIntervalMs;
    this.schedule({ at: this.nowMs + (phase === 0 ? this.settings.pingIntervalMs : phase), kind: 'ping', rider: idx, version: 0 });
    this.schedule({ at: Math.max(this.nowMs, shift.end), kind: 'shiftEnd', rider: idx, version: r.version });
  }

  private endShift(r: RiderState): void {
    const pos = this.positionOf(r, this.nowMs);
    r.from = pos; r.to = pos; r.legEnd = this.nowMs;
    r.onShift = false;
    r.job = null;
    r.queue = [];
    r.version++;
    r.status = 'off_shift';
    const i = this.onShiftPos[r.idx];
    const last = this.onShiftRiders.pop()!;
    if (last !== r.idx) { this.onShiftRiders[i] = last; this.onShiftPos[last] = i; }
    this.onShiftPos[r.idx] = -1;
    this.stats.ridersOnShift = this.onShiftRiders.length;
    this.emit({ type: 'rider.shift_ended', v: 1, id: `${r.id}:shift_end:${this.nowMs}`, ts: this.nowMs, riderId: r.id });
    this.ping(r);
  }

  private positionOf(r: RiderState, t: number): Point {
    if (t >= r.legEnd || r.legEnd === r.legStart) return r.to;
    const f = (t - r.legStart) / (r.legEnd - r.legStart);
    return { x: r.from.x + (r.to.x - r.from.x) * f, y: r.from.y + (r.to.y - r.from.y) * f };
  }

  private ping(r: RiderState): void {
    const t = this.nowMs;
    const pos = this.positionOf(r, t);
    const moving = t < r.legEnd;
    const speedKmh = moving ? Math.round((distance(r.from, r.to) / ((r.legEnd - r.legStart) / 1000)) * 3.6 * 10) / 10 : 0;
    const ll = this.world.projection.toLatLon(pos);
    this.emit({
      type: 'rider.location', v: 1, id: `${r.id}:${t}`, ts: t, riderId: r.id, zoneId: this.world.zones[zoneIndexAt(this.world.grid, pos)].id,
      lat: ll.lat, lon: ll.lon, status: r.status, speedKmh,
    });
  }

  /** Travel time between two points for this rider now: the travel model of @riderflow/geo (weather slows riders; MDRP uses whole minutes). */
  private travelMs(r: RiderState, from: Point, to: Point): number {
    const mpm = this.world.mdrpMetresPerMinute;
    if (mpm) return wholeMinutes(from, to, mpm) * MINUTE;
    const w = this.zoneWeather[zoneIndexAt(this.world.grid, from)];
    return rideMs(from, to, r.speedMps, w.speedFactor);
  }

  private startLeg(r: RiderState, to: Point, status: RiderStatus, arrival: Step, placeId?: string): void {
    const from = this.positionOf(r, this.nowMs);
    if (this.trace) this.trace.legStarted(r.id, this.nowMs, placeId ?? this.nearestStoreId(to));
    r.from = from;
    r.to = to;
    r.legStart = this.nowMs;
    r.legEnd = this.nowMs + this.travelMs(r, from, to);
    r.status = status;
    r.version++;
    this.schedule({ at: r.legEnd, kind: 'step', rider: r.idx, version: r.version, step: arrival });
  }

  /** In MDRP a reposition goes to a restaurant: snap to it, so lat/lon rounding never adds a travel minute. */
  private repositionTarget(lat: number, lon: number): Point {
    const p = this.world.projection.toPoint(lat, lon);
    if (this.world.kind !== 'mdrp') return p;
    const id = this.nearestStoreId(p);
    const store = this.world.stores.find((s) => s.id === id)!;
    return distance(store.pos, p) < 5 ? store.pos : p;
  }

  /** MDRP moves name places; a reposition point is written as the nearest restaurant. */
  private nearestStoreId(p: Point): string {
    let best = this.world.stores[0], bestD = Infinity;
    for (const s of this.world.stores) { const d = distance(s.pos, p); if (d < bestD) { bestD = d; best = s; } }
    return best.id;
  }

  private stepLater(r: RiderState, at: number, step: Step): void {
    this.schedule({ at, kind: 'step', rider: r.idx, version: r.version, step });
  }

  private applyInstruction(instr: RiderInstruction): InstructionOutcome {
    const idx = this.riderIndex.get(instr.riderId);
    if (idx === undefined) return { accepted: false, reason: `unknown rider ${instr.riderId}` };
    const r = this.riders[idx];
    if (!r.onShift) return { accepted: false, reason: `rider ${r.id} is off shift` };
    if (this.settings.history) return { accepted: false, reason: 'history mode takes no instructions' };
    if (instr.action === 'reposition') {
      const to = this.repositionTarget(instr.lat, instr.lon);
      const job: RepositionJob = { kind: 'reposition', zoneId: instr.zoneId, to };
      if (this.canPreempt(r)) this.startJob(r, job);
      else r.queue = [...r.queue.filter((q) => q.action !== 'reposition'), instr];
      return { accepted: true, orders: 0 };
    }
    const valid: OrderState[] = [];
    let storeIndex = -1;
    for (const o of instr.orders) {
      const s = this.orders.get(o.orderId);
      if (!s || s.status !== 'open') continue; // unknown, already assigned, or cancelled
      if (storeIndex === -1) storeIndex = s.plan.storeIndex;
      if (s.plan.storeIndex !== storeIndex) continue; // one pickup is one store
      valid.push(s);
    }
    if (valid.length === 0) return { accepted: false, reason: `no assignable order in ${instr.assignmentId} (unknown, taken or cancelled)` };
    if (this.world.kind === 'mdrp' && this.canPreempt(r)) {
      // The MDRP rule: no pickup after off_time. An idle courier can tell; it refuses, and the orders stay open.
      const departAt = Math.ceil(this.nowMs / MINUTE) * MINUTE;
      const storePos = this.world.stores[storeIndex].pos;
      let pickupAt = departAt + this.travelMs(r, this.positionOf(r, this.nowMs), storePos) + this.world.pickupServiceMs / 2;
      for (const o of valid) pickupAt = Math.max(pickupAt, o.plan.readyAt);
      if (pickupAt > r.shiftEnd) return { accepted: false, reason: `courier ${r.id} could not pick up before its off_time` };
    }
    for (const s of valid) {
      s.status = 'assigned';
      s.riderId = r.id;
      this.emit({ type: 'order.assigned', v: 1, id: `${s.plan.id}:assigned:${instr.assignmentId}`, ts: this.nowMs, orderId: s.plan.id, riderId: r.id, assignmentId: instr.assignmentId });
    }
    const record = this.trace?.assigned(r.id, this.nowMs, valid.map((s) => s.plan.id));
    if (record) this.assignmentRecords.set(instr.assignmentId, record);
    const job: PickupJob = { kind: 'pickup', assignmentId: instr.assignmentId, storeIndex, storePos: this.world.stores[storeIndex].pos, orders: valid, dropIndex: 0, record };
    if (this.canPreempt(r)) this.startJob(r, job);
    else r.queue.push({ ...instr, orders: valid.map((s) => ({ orderId: s.plan.id, dropLat: 0, dropLon: 0 })) });
    return { accepted: true, orders: valid.length };
  }

  /**
   * Whether a new instruction replaces what the rider is doing now: an idle rider, or one
   * repositioning in the city. MDRP couriers move between places only, so there they finish a
   * prepositioning move first and the instruction waits in their queue.
   */
  private canPreempt(r: RiderState): boolean {
    if (r.job === null) return true;
    return r.job.kind === 'reposition' && this.world.kind !== 'mdrp';
  }

  private startJob(r: RiderState, job: Job): void {
    r.job = job;
    // MDRP time is whole minutes: a courier sets off at the next full minute after its instruction.
    if (this.world.kind === 'mdrp' && this.nowMs % MINUTE !== 0) {
      r.version++;
      return this.stepLater(r, Math.ceil(this.nowMs / MINUTE) * MINUTE, 'begin');
    }
    this.beginJob(r, job);
  }

  private beginJob(r: RiderState, job: Job): void {
    if (job.kind === 'reposition') this.startLeg(r, job.to, 'repositioning', 'arriveReposition');
    else this.startLeg(r, job.storePos, 'to_store', 'arriveStore', this.world.stores[job.storeIndex].id);
  }

  private step(r: RiderState, step: Step): void {
    if (this.settings.history) return this.historyStep(r, step);
    const job = r.job;
    const t = this.nowMs;
    if (step === 'arriveReposition') return this.finishJob(r);
    if (step === 'begin') return r.job ? this.beginJob(r, r.job) : undefined;
    if (!job || job.kind !== 'pickup') return;
    const halfPickup = this.world.pickupServiceMs / 2, halfDrop = this.world.dropoffServiceMs / 2;
    switch (step) {
      case 'arriveStore': {
        let at = t + halfPickup;
        for (const o of job.orders) if (o.status === 'assigned') at = Math.max(at, o.plan.readyAt);
        r.status = 'waiting';
        return this.stepLater(r, at, 'pickup');
      }
      case 'pickup': {
        job.orders = job.orders.filter((o) => o.status === 'assigned'); // the customer may have cancelled meanwhile
        if (job.orders.length === 0) return this.finishJob(r);
        if (job.record) { job.record.pickupAt = t; this.assignmentRecords.delete(job.assignmentId); }
        for (const o of job.orders) {
          o.status = 'picked';
          this.emit({ type: 'order.picked_up', v: 1, id: `${o.plan.id}:picked_up`, ts: t, orderId: o.plan.id, riderId: r.id });
        }
        return this.stepLater(r, t + halfPickup, 'depart');
      }
      case 'depart':
      case 'leaveDrop': {
        if (job.dropIndex >= job.orders.length) return this.finishJob(r);
        const o = job.orders[job.dropIndex];
        return this.startLeg(r, this.world.customers[o.plan.customerIndex].pos, 'to_customer', 'arriveDrop', o.plan.id);
      }
      case 'arriveDrop':
        return this.stepLater(r, t + halfDrop, 'drop');
      case 'drop': {
        const o = job.orders[job.dropIndex++];
        this.trace?.delivered({ orderId: o.plan.id, placedAt: o.plan.placedAt, readyAt: o.plan.readyAt, pickupAt: job.record?.pickupAt ?? t, dropoffAt: t, courierId: r.id });
        this.deliver(o, r.id, t);
        return this.stepLater(r, t + halfDrop, 'leaveDrop');
      }
    }
  }

  private deliver(o: OrderState, riderId: string, t: number): void {
    o.status = 'done';
    this.orders.delete(o.plan.id);
    this.stats.ordersDelivered++;
    this.emit({
      type: 'order.delivered', v: 1, id: `${o.plan.id}:delivered`, ts: t, orderId: o.plan.id, riderId, placedAt: o.plan.placedAt,
      clickToDoorMin: Math.round(((t - o.plan.placedAt) / MINUTE) * 100) / 100,
    });
  }

  private finishJob(r: RiderState): void {
    r.job = null;
    while (r.queue.length > 0) {
      const next = r.queue.shift()!;
      if (next.action === 'reposition') {
        this.startJob(r, { kind: 'reposition', zoneId: next.zoneId, to: this.repositionTarget(next.lat, next.lon) });
        return;
      }
      const orders = next.orders.map((o) => this.orders.get(o.orderId)).filter((s): s is OrderState => !!s && s.status === 'assigned' && s.riderId === r.id);
      if (orders.length === 0) continue;
      const storeIndex = orders[0].plan.storeIndex;
      this.startJob(r, { kind: 'pickup', assignmentId: next.assignmentId, storeIndex, storePos: this.world.stores[storeIndex].pos, orders, dropIndex: 0, record: this.assignmentRecords.get(next.assignmentId) });
      return;
    }
    if (this.nowMs >= r.shiftEnd) return this.endShift(r);
    const pos = this.positionOf(r, this.nowMs);
    r.from = pos; r.to = pos; r.legStart = this.nowMs; r.legEnd = this.nowMs;
    r.status = 'idle';
    r.version++;
  }

  // ---- history mode ---------------------------------------------------------------------------

  /**
   * Statistical service for history generation: a free on-shift rider (sampled, not optimised)
   * takes the order after a short delay; pickup waits for the food; travel at the rider's speed.
   * No free rider found → the order times out, so shortage shows up in the data as it would live.
   */
  private serveStatistically(o: OrderState): void {
    const rng = this.historyRng;
    const t = this.nowMs;
    const store = this.world.stores[o.plan.storeIndex];
    const drop = this.world.customers[o.plan.customerIndex].pos;
    if (o.plan.customerCancelAt !== undefined) return; // will be cancelled by the customer
    let chosen: RiderState | null = null;
    for (let tries = 0; tries < 8 && this.onShiftRiders.length > 0; tries++) {
      const cand = this.riders[this.onShiftRiders[Math.floor(rng.next() * this.onShiftRiders.length)]];
      if (cand.busyUntil <= t && distance(this.positionOf(cand, t), store.pos) < 6_000) { chosen = cand; break; }
    }
    if (!chosen) return;
    const r = chosen;
    const assignedAt = t + Math.round(rng.range(0.5, 4) * MINUTE);
    const toStore = this.travelMs(r, this.positionOf(r, t), store.pos);
    const pickedAt = Math.max(assignedAt + toStore + this.world.pickupServiceMs / 2, o.plan.readyAt);
    const deliveredAt = pickedAt + this.world.pickupServiceMs / 2 + this.travelMs(r, store.pos, drop) + this.world.dropoffServiceMs / 2;
    if (assignedAt >= o.plan.placedAt + this.settings.cancelAfterMs) return;
    o.status = 'assigned';
    o.riderId = r.id;
    r.busyUntil = deliveredAt + this.world.dropoffServiceMs / 2;
    // Movement for the pings: to the store, then to the customer.
    r.from = this.positionOf(r, t); r.to = store.pos; r.legStart = assignedAt; r.legEnd = assignedAt + toStore; r.status = 'to_store';
    const id = o.plan.id;
    const assignmentId = `h-${id}`;
    this.schedule({ at: Math.max(t, o.plan.readyAt), kind: 'emit', event: { type: 'order.ready', v: 1, id: `${id}:ready`, ts: Math.max(t, o.plan.readyAt), orderId: id, storeId: store.id } });
    this.schedule({ at: assignedAt, kind: 'emit', event: { type: 'order.assigned', v: 1, id: `${id}:assigned:${assignmentId}`, ts: assignedAt, orderId: id, riderId: r.id, assignmentId } });
    this.schedule({ at: pickedAt, kind: 'emit', event: { type: 'order.picked_up', v: 1, id: `${id}:picked_up`, ts: pickedAt, orderId: id, riderId: r.id } });
    this.schedule({ at: deliveredAt, kind: 'emit', event: {
      type: 'order.delivered', v: 1, id: `${id}:delivered`, ts: deliveredAt, orderId: id, riderId: r.id, placedAt: o.plan.placedAt,
      clickToDoorMin: Math.round(((deliveredAt - o.plan.placedAt) / MINUTE) * 100) / 100,
    } });
    this.stats.ordersDelivered++;
    // The order leaves the open set now; later legs are approximated for pings.
    this.orders.delete(id);
    this.historyServed.set(id, { plan: o.plan, service: { riderId: r.id, assignedAt, pickedAt, deliveredAt } });
    r.version++;
    this.schedule({ at: pickedAt, kind: 'step', rider: r.idx, version: r.version, step: 'depart' });
    this.historyLegs.set(r.idx, { drop, deliveredAt, pickedAt, storePos: store.pos });
  }

  private historyStep(r: RiderState, step: Step): void {
    const leg = this.historyLegs.get(r.idx);
    if (!leg) return;
    if (step === 'depart') {
      r.from = leg.storePos; r.to = leg.drop; r.legStart = leg.pickedAt; r.legEnd = leg.deliveredAt; r.status = 'to_customer';
      r.version++;
      this.schedule({ at: leg.deliveredAt, kind: 'step', rider: r.idx, version: r.version, step: 'leaveDrop' });
    } else if (step === 'leaveDrop') {
      this.historyLegs.delete(r.idx);
      r.from = leg.drop; r.to = leg.drop; r.legStart = this.nowMs; r.legEnd = this.nowMs; r.status = 'idle';
      if (this.nowMs >= r.shiftEnd) this.endShift(r);
    }
  }

  private readonly historyLegs = new Map<number, { drop: Point; deliveredAt: number; pickedAt: number; storePos: Point }>();

  // ---- hand-over from history to a live run (history-handover.ts) ------------------------------

  /** History mode, at the end of its run: every rider on shift and where, every order not yet closed. */
  historyHandover(world: HandoverWorld): HistoryHandover {
    const at = this.nowMs;
    const positions = this.onShiftRiders.map((idx) => {
      const r = this.riders[idx];
      // A history rider's leg may be dated after now (it sets off once assigned): it is still at its start.
      const pos = at < r.legStart ? r.from : this.positionOf(r, at);
      return { riderId: r.id, x: Math.round(pos.x), y: Math.round(pos.y) };
    });
    const served = [...this.historyServed.values()].filter((o) => o.service.deliveredAt >= at);
    const waiting = [...this.orders.values()].filter((o) => o.status === 'open').map((o) => ({ plan: o.plan }));
    const orders = [...served, ...waiting].sort((a, b) => a.plan.placedAt - b.plan.placedAt || a.plan.seq - b.plan.seq);
    return { v: 1, world, endMs: at, positions, orders };
  }

  /**
   * A live run takes over one of the history's orders at its start. The live engine finishes it:
   * a rider that had it rides on (to the store, or with the food to the door), one the history
   * would have sent later is sent then, and one nobody was found for waits, times out or is
   * cancelled by its customer as planned. Dispatch never saw these orders, so it does not assign them.
   */
  private adopt(h: HandedOrder): void {
    if (h.live) return this.adoptLive(h.plan, h.live);
    const endMs = this.settings.takeOver!.endMs;
    const { plan, service } = h;
    const stage = handedStage(h, endMs);
    const idx = service ? this.riderIndex.get(service.riderId) : undefined;
    const r = idx === undefined ? undefined : this.riders[idx];
    if (service && stage !== 'open' && (!r?.onShift || r.job !== null)) return this.playPlanned(plan, service, endMs);
    const o: OrderState = { plan, status: 'open' };
    this.orders.set(plan.id, o);
    // Ready before the history's end: its order.ready is on the log already.
    if (plan.readyAt >= endMs) this.schedule({ at: plan.readyAt, kind: 'ready', orderId: plan.id });
    this.schedule({ at: Math.max(this.nowMs, plan.placedAt + this.settings.cancelAfterMs), kind: 'timeout', orderId: plan.id });
    if (plan.customerCancelAt !== undefined) this.schedule({ at: Math.max(this.nowMs, plan.customerCancelAt), kind: 'customerCancel', orderId: plan.id });
    if (!service) {
      // No rider was found for it in the history, and dispatch never saw it (it reads only what is
      // written after it joined): the nearest rider takes it now, as a dispatcher would.
      return this.assignHandedOver(o, null);
    }
    if (idx === undefined || !r) return;
    if (stage === 'open') return this.schedule({ at: Math.max(this.nowMs, service.assignedAt), kind: 'handedAssign', orderId: plan.id, rider: idx });
    o.status = stage === 'picked' ? 'picked' : 'assigned';
    o.riderId = r.id;
    const job: PickupJob = { kind: 'pickup', assignmentId: `h-${plan.id}`, storeIndex: plan.storeIndex, storePos: this.world.stores[plan.storeIndex].pos, orders: [o], dropIndex: 0 };
    r.job = job;
    if (stage === 'picked') this.step(r, 'depart');
    else this.beginJob(r, job);
  }

  /** The on-shift rider nearest to a point among those with the fewest jobs (a busy one queues it). */
  private nearestRider(p: Point): RiderState | null {
    let best: RiderState | null = null, bestScore = Infinity;
    for (const idx of this.onShiftRiders) {
      const r = this.riders[idx];
      const jobs = (r.job?.kind === 'pickup' ? 1 : 0) + r.queue.length;
      const score = distance(this.positionOf(r, this.nowMs), p) + jobs * 1e9;
      if (score < bestScore) { bestScore = score; best = r; }
    }
    return best;
  }

  /**
   * A handed-over order is assigned: to the history's rider when its planned assignment comes due,
   * else (none planned, or that rider's shift is over) to the nearest rider. The rider takes it as
   * it would an instruction, or queues it behind its current job. With nobody on shift the order
   * stays open and times out, as it would have live.
   */
  private assignHandedOver(o: OrderState, rider: RiderState | null): void {
    const r = rider ?? this.nearestRider(this.world.stores[o.plan.storeIndex].pos);
    if (!r) return;
    const store = this.world.stores[o.plan.storeIndex];
    const sp = this.world.projection.toLatLon(store.pos);
    const dp = this.world.projection.toLatLon(this.world.customers[o.plan.customerIndex].pos);
    const assignmentId = `h-${o.plan.id}`;
    this.applyInstruction({
      type: 'rider.instruction', v: 1, id: assignmentId, ts: this.nowMs, riderId: r.id, action: 'pickup', assignmentId,
      storeId: store.id, storeLat: sp.lat, storeLon: sp.lon, orders: [{ orderId: o.plan.id, dropLat: dp.lat, dropLon: dp.lon }],
    });
  }

  /**
   * A handed-over order whose rider is not on shift here (the history ends a shift on time, food on
   * board or not) or already busy: the rest of the history's own plan goes on the log as written.
   */
  private playPlanned(plan: PlannedOrder, s: PlannedService, endMs: number): void {
    const id = plan.id;
    if (plan.readyAt >= endMs) this.schedule({ at: plan.readyAt, kind: 'emit', event: { type: 'order.ready', v: 1, id: `${id}:ready`, ts: plan.readyAt, orderId: id, storeId: this.world.stores[plan.storeIndex].id } });
    if (s.pickedAt >= endMs) this.schedule({ at: s.pickedAt, kind: 'emit', event: { type: 'order.picked_up', v: 1, id: `${id}:picked_up`, ts: s.pickedAt, orderId: id, riderId: s.riderId } });
    this.schedule({ at: s.deliveredAt, kind: 'emit', event: {
      type: 'order.delivered', v: 1, id: `${id}:delivered`, ts: s.deliveredAt, orderId: id, riderId: s.riderId, placedAt: plan.placedAt,
      clickToDoorMin: Math.round(((s.deliveredAt - plan.placedAt) / MINUTE) * 100) / 100,
    } });
    this.stats.ordersDelivered++;
  }

  // ---- hand-over from a live run stopped gracefully to the next start ---------------------------

  /**
   * A live run, stopped (SIGINT/SIGTERM) at the current instant: every rider on shift, where it is
   * and until when, and every order not yet closed; an order in a rider's hands says whose, which
   * assignment and whether the food is on board, in the order the rider works them.
   */
  liveHandover(world: HandoverWorld): HistoryHandover {
    const at = this.nowMs;
    const positions = this.onShiftRiders.map((idx) => {
      const r = this.riders[idx];
      const pos = this.positionOf(r, at);
      return { riderId: r.id, x: Math.round(pos.x), y: Math.round(pos.y), shiftEnd: r.shiftEnd };
    });
    const orders: HandedOrder[] = [];
    const listed = new Set<string>();
    const hand = (o: OrderState | undefined, riderId: string, assignmentId: string) => {
      if (!o || listed.has(o.plan.id) || (o.status !== 'assigned' && o.status !== 'picked') || o.riderId !== riderId) return;
      listed.add(o.plan.id);
      orders.push({ plan: o.plan, live: { riderId, assignmentId, stage: o.status } });
    };
    for (const idx of this.onShiftRiders) {
      const r = this.riders[idx];
      if (r.job?.kind === 'pickup') for (const o of r.job.orders.slice(r.job.dropIndex)) hand(o, r.id, r.job.assignmentId);
      for (const q of r.queue) if (q.action === 'pickup') for (const { orderId } of q.orders) hand(this.orders.get(orderId), r.id, q.assignmentId);
    }
    // Waiting for a rider, or (rarely) held by one no longer on shift: the next run assigns them.
    for (const o of this.orders.values()) if (o.status !== 'done' && !listed.has(o.plan.id)) orders.push({ plan: o.plan });
    return { v: 1, source: 'live', world, endMs: at, positions, orders };
  }

  /**
   * One order of a live hand-over: its rider (on shift again, where it was) goes on with it. The
   * first order of an assignment the rider has none of yet is its job if it is free, else joins its
   * queue; later orders of the same assignment join that job or queue entry. A rider that is not on
   * shift here (unknown to this world) leaves the order to the nearest rider, as a waiting one.
   */
  private adoptLive(plan: PlannedOrder, l: LiveService): void {
    const o: OrderState = { plan, status: 'open' };
    this.orders.set(plan.id, o);
    const endMs = this.settings.takeOver!.endMs;
    if (plan.readyAt >= endMs) this.schedule({ at: plan.readyAt, kind: 'ready', orderId: plan.id });
    if (plan.customerCancelAt !== undefined && plan.customerCancelAt >= endMs) this.schedule({ at: plan.customerCancelAt, kind: 'customerCancel', orderId: plan.id });
    const idx = this.riderIndex.get(l.riderId);
    const r = idx === undefined ? undefined : this.riders[idx];
    if (!r?.onShift) {
      this.schedule({ at: Math.max(this.nowMs, plan.placedAt + this.settings.cancelAfterMs), kind: 'timeout', orderId: plan.id });
      return this.assignHandedOver(o, null);
    }
    o.status = l.stage;
    o.riderId = r.id;
    const job = r.job;
    if (job?.kind === 'pickup' && job.assignmentId === l.assignmentId) { job.orders.push(o); return; }
    const last = r.queue[r.queue.length - 1];
    if (job !== null) {
      const drop = { orderId: plan.id, dropLat: 0, dropLon: 0 };
      if (last?.action === 'pickup' && last.assignmentId === l.assignmentId) last.orders.push(drop);
      else r.queue.push({ type: 'rider.instruction', v: 1, id: l.assignmentId, ts: this.nowMs, riderId: r.id, action: 'pickup', assignmentId: l.assignmentId, storeId: this.world.stores[plan.storeIndex].id, storeLat: 0, storeLon: 0, orders: [drop] });
      return;
    }
    const next: PickupJob = { kind: 'pickup', assignmentId: l.assignmentId, storeIndex: plan.storeIndex, storePos: this.world.stores[plan.storeIndex].pos, orders: [o], dropIndex: 0 };
    r.job = next;
    // Food on board: it sets off to the door once its job's orders are all adopted (same instant, a step later).
    if (l.stage === 'picked') { r.version++; this.stepLater(r, this.nowMs, 'depart'); } else this.beginJob(r, next);
  }
}
