import type { Point } from '@riderflow/geo';
import type { PlannedOrder } from '../world/demand.js';

// A first `npm start` writes a few days of history (history mode) and then starts the live
// simulator where that history ends. The history's last orders are still in flight then, and the
// live run used to cancel them as if the simulator had restarted (reason simulator_restart: "our
// delivery system restarted", to ~33 customers, on a start where nothing restarted). Instead the
// history hands its world over: where each on-shift rider is, and every order it has not closed,
// with the service it planned for it. The live run takes them over and finishes them (see
// Simulation's takeOver setting); a true restart still cancels (stranded-orders.ts).

/** Which world a hand-over belongs to: it is only valid for a live run of the same city. */
export interface HandoverWorld {
  seed: string;
  riders: number;
  stores: number;
  zones: number;
}

/** What the history's statistical service planned for an order: its rider and when each step happens. */
export interface PlannedService {
  riderId: string;
  assignedAt: number;
  pickedAt: number;
  deliveredAt: number;
}

/**
 * A live run's order in a rider's hands when it stopped: that rider, its assignment, and whether
 * the food is on board. Orders of one rider are listed in the order the rider works them (its
 * current job first, then its queue).
 */
export interface LiveService {
  riderId: string;
  assignmentId: string;
  stage: 'assigned' | 'picked';
}

export interface HandedOrder {
  plan: PlannedOrder;
  /** Absent for an order no rider was found for (the live run gives it to its nearest free rider). */
  service?: PlannedService;
  /** A live run's hand-over (a graceful stop): the rider that has it now, instead of a planned service. */
  live?: LiveService;
}

export interface HistoryHandover {
  v: 1;
  /** Who wrote it: the history at its end (absent in older files), or a live run stopped gracefully. */
  source?: 'history' | 'live';
  world: HandoverWorld;
  /** The history's end: its state is the world's state at this simulated time. */
  endMs: number;
  /** Every rider on shift at endMs and where it is (city metres). */
  positions: { riderId: string; x: number; y: number; shiftEnd?: number }[];
  /** Every order placed before endMs and neither delivered nor cancelled before it. */
  orders: HandedOrder[];
}

/** How far an order had got at the hand-over, by its planned service. */
export function handedStage(o: HandedOrder, atMs: number): 'open' | 'assigned' | 'picked' {
  if (o.live) return o.live.stage;
  if (!o.service || o.service.assignedAt >= atMs) return 'open';
  return o.service.pickedAt < atMs ? 'picked' : 'assigned';
}

/** A hand-over file that cannot be used: the message says which and why, in one line. */
export class HandoverError extends Error {
  override name = 'HandoverError';
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Parses a hand-over file's text; throws HandoverError naming the first thing wrong. */
export function parseHandover(text: string, file: string): HistoryHandover {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new HandoverError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const bad = (what: string) => new HandoverError(`${file} is not a history hand-over: ${what}`);
  if (typeof raw !== 'object' || raw === null) throw bad('not an object');
  const h = raw as Record<string, unknown>;
  if (h.source !== undefined && h.source !== 'history' && h.source !== 'live') throw bad(`source ${JSON.stringify(h.source)} (history or live)`);
  if (h.v !== 1) throw bad(`version ${JSON.stringify(h.v)} (this simulator reads 1)`);
  const w = h.world as Record<string, unknown> | undefined;
  if (!w || typeof w.seed !== 'string' || !isInt(w.riders) || !isInt(w.stores) || !isInt(w.zones)) throw bad('"world" needs seed, riders, stores and zones');
  if (!isInt(h.endMs)) throw bad('"endMs" must be a whole number of milliseconds');
  if (!Array.isArray(h.positions) || !h.positions.every((p) => typeof p?.riderId === 'string' && isNum(p.x) && isNum(p.y) && (p.shiftEnd === undefined || isInt(p.shiftEnd)))) throw bad('"positions" must list { riderId, x, y }');
  if (!Array.isArray(h.orders)) throw bad('"orders" must be a list');
  for (const o of h.orders as HandedOrder[]) {
    const p = o?.plan;
    if (!p || typeof p.id !== 'string' || ![p.seq, p.storeIndex, p.customerIndex, p.zoneIndex, p.placedAt, p.readyAt, p.expectedReadyAt].every(isInt)) throw bad(`order ${JSON.stringify(p?.id)} has an incomplete plan`);
    const s = o.service;
    if (s !== undefined && (typeof s.riderId !== 'string' || ![s.assignedAt, s.pickedAt, s.deliveredAt].every(isInt))) throw bad(`order ${p.id} has an incomplete service`);
    const l = o.live;
    if (l !== undefined && (typeof l.riderId !== 'string' || typeof l.assignmentId !== 'string' || (l.stage !== 'assigned' && l.stage !== 'picked'))) throw bad(`order ${p.id} has an incomplete live service (riderId, assignmentId, stage assigned|picked)`);
  }
  return raw as HistoryHandover;
}

/** Why a hand-over does not fit this live run (another city, or a start after the history's end), or null. */
export function handoverMismatch(h: HistoryHandover, world: HandoverWorld, startMs: number): string | null {
  for (const k of ['seed', 'riders', 'stores', 'zones'] as const) {
    if (h.world[k] !== world[k]) return `it was written for another city (${k} ${JSON.stringify(h.world[k])}, this run ${JSON.stringify(world[k])})`;
  }
  // Nothing happens between the history's newest record and its end, so the live run may start
  // anywhere in that gap (npm start starts one second after the newest record); not after the end.
  if (startMs > h.endMs) return `this run starts at ${new Date(startMs).toISOString()}, after the history's end ${new Date(h.endMs).toISOString()}: what was in flight then has moved on`;
  return null;
}

/** One line for the run's output. */
export function formatTakeOver(h: HistoryHandover): string {
  const count = { open: 0, assigned: 0, picked: 0 };
  for (const o of h.orders) count[handedStage(o, h.endMs)]++;
  const from = h.source === 'live' ? `the run stopped at ${new Date(h.endMs).toISOString()}` : 'the history just written';
  return `taking over from ${from}: ${h.positions.length} riders where they are, ${h.orders.length} order${h.orders.length === 1 ? '' : 's'} in flight (${count.open} waiting, ${count.assigned} assigned, ${count.picked} picked up) finished, none cancelled for a restart`;
}

/** A rider's position from the hand-over, as a point. */
export function positionsById(h: HistoryHandover): Map<string, Point> {
  return new Map(h.positions.map((p) => [p.riderId, { x: p.x, y: p.y }]));
}
