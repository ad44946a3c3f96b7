import type { LogEvent } from '@riderflow/contracts';

/**
 * Why rostering does or does not change click-to-door: taps the simulator's own events (ground
 * truth, not what a service believes) and decomposes each delivered order's time, counts idle
 * riders, and follows every rostering move to see what the rider did next.
 */
export interface MoveRecord {
  riderId: string;
  atMs: number;
  toZoneId: string;
}

interface OrderTrace {
  placedAt: number;
  zoneId: string;
  readyAt?: number;
  assignedAt?: number;
  pickedAt?: number;
  deliveredAt?: number;
  riderId?: string;
}

export interface LoopDiagnostics {
  /** Mean minutes, delivered orders: placed→assigned, placed→ready, rider late at the store (picked − ready), picked→delivered. */
  meanAssignDelayMin: number;
  meanPrepMin: number;
  meanRiderLateMin: number;
  meanRideToDoorMin: number;
  /** Share of delivered orders picked up more than 5 min after the food was ready (positioning could help these). */
  lateOver5Share: number;
  /** Share of delivered orders whose rider waited at the store (arrived before the food). */
  riderWaitedShare: number;
  cancelledUnassigned: number;
  cancelledCustomer: number;
  /** Mean riders on shift and mean idle (status idle) across pings, per simulated hour. */
  perHour: { hour: string; onShift: number; idle: number; repositioning: number; created: number; cancelled: number; c2d: number }[];
  /** Rostering moves: after the instruction, first status change of the rider. */
  movesFollowed: { total: number; startedRepositioning: number; gotPickupWithin10Min: number; pickupsInTargetZone: number };
}

export class LoopTap {
  private readonly orders = new Map<string, OrderTrace>();
  private readonly cancels = { unassigned: 0, customer: 0 };
  private readonly pingBuckets = new Map<number, { pings: number; idle: number; repositioning: number; riders: Set<string> }>();
  private readonly riderTimeline = new Map<string, { ts: number; status: string; zoneId: string }[]>();
  private readonly assignments: { riderId: string; ts: number; zoneId: string }[] = [];
  private readonly hourOrders = new Map<number, { created: number; cancelled: number; c2d: number[] }>();

  constructor(private readonly startMs: number) {}

  add(e: LogEvent): void {
    switch (e.type) {
      case 'order.created':
        this.orders.set(e.orderId, { placedAt: e.placedAt, zoneId: e.zoneId });
        this.hour(e.placedAt).created++;
        break;
      case 'order.ready': { const o = this.orders.get(e.orderId); if (o) o.readyAt = e.ts; break; }
      case 'order.assigned': {
        const o = this.orders.get(e.orderId);
        if (o && o.assignedAt === undefined) { o.assignedAt = e.ts; o.riderId = e.riderId; this.assignments.push({ riderId: e.riderId, ts: e.ts, zoneId: o.zoneId }); }
        break;
      }
      case 'order.picked_up': { const o = this.orders.get(e.orderId); if (o) o.pickedAt = e.ts; break; }
      case 'order.delivered': {
        const o = this.orders.get(e.orderId);
        if (o) { o.deliveredAt = e.ts; this.hour(o.placedAt).c2d.push(e.clickToDoorMin); }
        break;
      }
      case 'order.cancelled': {
        if (e.reason === 'unassigned_timeout') this.cancels.unassigned++; else this.cancels.customer++;
        const o = this.orders.get(e.orderId);
        if (o) this.hour(o.placedAt).cancelled++;
        break;
      }
      case 'rider.location': {
        if (e.status === 'off_shift') break;
        const h = Math.floor((e.ts - this.startMs) / 3_600_000);
        let b = this.pingBuckets.get(h);
        if (!b) this.pingBuckets.set(h, (b = { pings: 0, idle: 0, repositioning: 0, riders: new Set() }));
        b.pings++;
        b.riders.add(e.riderId);
        if (e.status === 'idle') b.idle++;
        if (e.status === 'repositioning') b.repositioning++;
        let tl = this.riderTimeline.get(e.riderId);
        if (!tl) this.riderTimeline.set(e.riderId, (tl = []));
        const last = tl[tl.length - 1];
        if (!last || last.status !== e.status) tl.push({ ts: e.ts, status: e.status, zoneId: e.zoneId });
        break;
      }
      default:
        break;
    }
  }

  private hour(ts: number) {
    const h = Math.floor((ts - this.startMs) / 3_600_000);
    let v = this.hourOrders.get(h);
    if (!v) this.hourOrders.set(h, (v = { created: 0, cancelled: 0, c2d: [] }));
    return v;
  }

  summary(moves: MoveRecord[]): LoopDiagnostics {
    const done = [...this.orders.values()].filter((o) => o.deliveredAt !== undefined && o.pickedAt !== undefined && o.readyAt !== undefined && o.assignedAt !== undefined);
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
    const min = 60_000;
    const late = done.map((o) => (o.pickedAt! - o.readyAt!) / min);
    const pingsPerRiderHour = (b: { pings: number; riders: Set<string> }) => b.pings / Math.max(1, b.riders.size);
    const perHour = [...this.pingBuckets.keys()].sort((a, b) => a - b).map((h) => {
      const b = this.pingBuckets.get(h)!;
      const per = pingsPerRiderHour(b);
      const ho = this.hourOrders.get(h) ?? { created: 0, cancelled: 0, c2d: [] };
      return {
        hour: new Date(this.startMs + h * 3_600_000).toISOString().slice(11, 16),
        onShift: b.pings / per, // ≈ distinct riders weighted by presence
        idle: b.idle / per,
        repositioning: b.repositioning / per,
        created: ho.created,
        cancelled: ho.cancelled,
        c2d: mean(ho.c2d),
      };
    });
    let startedRepositioning = 0;
    let gotPickup = 0;
    let pickupsInTarget = 0;
    for (const mv of moves) {
      const tl = this.riderTimeline.get(mv.riderId) ?? [];
      if (tl.some((s) => s.ts >= mv.atMs && s.ts <= mv.atMs + 5 * min && s.status === 'repositioning')) startedRepositioning++;
      const next = this.assignments.find((a) => a.riderId === mv.riderId && a.ts >= mv.atMs && a.ts <= mv.atMs + 10 * min);
      if (next) gotPickup++;
      const nextAny = this.assignments.find((a) => a.riderId === mv.riderId && a.ts >= mv.atMs);
      if (nextAny && nextAny.zoneId === mv.toZoneId) pickupsInTarget++;
    }
    return {
      meanAssignDelayMin: mean(done.map((o) => (o.assignedAt! - o.placedAt) / min)),
      meanPrepMin: mean(done.map((o) => (o.readyAt! - o.placedAt) / min)),
      meanRiderLateMin: mean(late.map((v) => Math.max(0, v))),
      meanRideToDoorMin: mean(done.map((o) => (o.deliveredAt! - o.pickedAt!) / min)),
      lateOver5Share: late.filter((v) => v > 5).length / Math.max(1, late.length),
      riderWaitedShare: late.filter((v) => v <= 2.5).length / Math.max(1, late.length),
      cancelledUnassigned: this.cancels.unassigned,
      cancelledCustomer: this.cancels.customer,
      perHour,
      movesFollowed: { total: moves.length, startedRepositioning, gotPickupWithin10Min: gotPickup, pickupsInTargetZone: pickupsInTarget },
    };
  }
}

export function formatDiagnostics(label: string, d: LoopDiagnostics): string {
  const lines = [
    `-- ${label}: delivered orders' time, mean min: assign ${d.meanAssignDelayMin.toFixed(1)}, prep ${d.meanPrepMin.toFixed(1)}, rider late at store ${d.meanRiderLateMin.toFixed(1)}, picked→door ${d.meanRideToDoorMin.toFixed(1)}; picked >5 min after ready ${(d.lateOver5Share * 100).toFixed(0)} %, picked ≤2.5 min after ready ${(d.riderWaitedShare * 100).toFixed(0)} %; cancelled unassigned ${d.cancelledUnassigned}, by customer ${d.cancelledCustomer}`,
    // Prep and the ride to the door are out of any positioning policy's reach; only the minutes a
    // rider reaches the store after the food is ready can be saved, so they bound the gain.
    `   ceiling for any positioning policy: ${d.meanRiderLateMin.toFixed(1)} of ${(d.meanPrepMin + d.meanRiderLateMin + d.meanRideToDoorMin).toFixed(1)} min = ${((d.meanRiderLateMin / Math.max(1e-9, d.meanPrepMin + d.meanRiderLateMin + d.meanRideToDoorMin)) * 100).toFixed(1)} % of click-to-door (every rider at the store by the time the food is ready)`,
    `   hour  riders  idle  repos  created cancelled c2d`,
    ...d.perHour.map((h) => `   ${h.hour} ${h.onShift.toFixed(1).padStart(6)} ${h.idle.toFixed(1).padStart(5)} ${h.repositioning.toFixed(1).padStart(6)} ${String(h.created).padStart(8)} ${String(h.cancelled).padStart(9)} ${h.c2d.toFixed(1).padStart(5)}`),
  ];
  if (d.movesFollowed.total > 0) {
    const f = d.movesFollowed;
    lines.push(`   rostering moves ${f.total}: started repositioning within 5 min ${f.startedRepositioning}, got a pickup within 10 min ${f.gotPickupWithin10Min}, next pickup in the target zone ${f.pickupsInTargetZone}`);
  }
  return lines.join('\n');
}
