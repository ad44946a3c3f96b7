import type { StaffingParams } from './erlang-c.js';

/**
 * The service time dispatch actually achieves, read from the log: how many rider-minutes one
 * delivered order takes. A rider is busy from the moment dispatch gives it an order until it has
 * no order left (ride to the store, wait for the food, ride to the door; a bundle shares the
 * minutes between its orders). Busy rider-minutes over orders delivered is the mean service time
 * of the city's M/M/c queue (erlang-c.ts), measured instead of assumed; assignment-to-door is the
 * part of click-to-door a rider spends after the queue.
 */
export interface ServiceTimeHour {
  hourStart: number;
  /** Rider-minutes spent with at least one order, inside the hour. */
  busyRiderMin: number;
  /** Orders delivered in the hour. */
  delivered: number;
  /** Sum of minutes from assignment to the door over the hour's delivered orders. */
  doorMinSum: number;
}

const HOUR_MS = 3_600_000;

export class ServiceTimeTap {
  /** riderId → open orders and when the rider last became busy */
  private readonly riders = new Map<string, { open: Set<string>; busySince: number }>();
  /** orderId → rider and assignment time */
  private readonly orders = new Map<string, { riderId: string; assignedAt: number }>();
  private readonly hours = new Map<number, ServiceTimeHour>();

  add(e: { type: string; ts: number; [k: string]: unknown }): void {
    switch (e.type) {
      case 'order.assigned': {
        const orderId = e.orderId as string;
        const riderId = e.riderId as string;
        const prev = this.orders.get(orderId);
        if (prev && prev.riderId !== riderId) this.release(prev.riderId, orderId, e.ts);
        if (prev?.riderId === riderId) return;
        this.orders.set(orderId, { riderId, assignedAt: e.ts });
        let r = this.riders.get(riderId);
        if (!r) this.riders.set(riderId, (r = { open: new Set(), busySince: e.ts }));
        if (r.open.size === 0) r.busySince = e.ts;
        r.open.add(orderId);
        break;
      }
      case 'order.delivered': {
        const o = this.orders.get(e.orderId as string);
        if (!o) return;
        const h = this.hour(e.ts);
        h.delivered++;
        h.doorMinSum += (e.ts - o.assignedAt) / 60_000;
        this.release(o.riderId, e.orderId as string, e.ts);
        this.orders.delete(e.orderId as string);
        break;
      }
      case 'order.cancelled': {
        const o = this.orders.get(e.orderId as string);
        if (!o) return;
        this.release(o.riderId, e.orderId as string, e.ts);
        this.orders.delete(e.orderId as string);
        break;
      }
      default:
    }
  }

  /** Per hour from `fromMs` to `toMs`; riders still busy count up to `toMs`. */
  rows(fromMs: number, toMs: number): ServiceTimeHour[] {
    const out: ServiceTimeHour[] = [];
    const open = new Map<number, number>();
    for (const r of this.riders.values()) if (r.open.size > 0) for (const [h, min] of split(r.busySince, toMs)) open.set(h, (open.get(h) ?? 0) + min);
    for (let h = Math.ceil(fromMs / HOUR_MS) * HOUR_MS; h + HOUR_MS <= toMs; h += HOUR_MS) {
      const row = this.hours.get(h) ?? { hourStart: h, busyRiderMin: 0, delivered: 0, doorMinSum: 0 };
      out.push({ ...row, busyRiderMin: row.busyRiderMin + (open.get(h) ?? 0) });
    }
    return out;
  }

  /** Forgets hours before `beforeMs` (a long-running service keeps only what the rule reads). */
  prune(beforeMs: number): void {
    for (const h of [...this.hours.keys()]) if (h < beforeMs) this.hours.delete(h);
  }

  private release(riderId: string, orderId: string, ts: number): void {
    const r = this.riders.get(riderId);
    if (!r || !r.open.delete(orderId) || r.open.size > 0) return;
    for (const [h, min] of split(r.busySince, ts)) this.hour(h).busyRiderMin += min;
  }

  private hour(ts: number): ServiceTimeHour {
    const h = Math.floor(ts / HOUR_MS) * HOUR_MS;
    let row = this.hours.get(h);
    if (!row) this.hours.set(h, (row = { hourStart: h, busyRiderMin: 0, delivered: 0, doorMinSum: 0 }));
    return row;
  }
}

/** Minutes of [from, to) in each hour it touches. */
function split(from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  for (let h = Math.floor(from / HOUR_MS) * HOUR_MS; h < to; h += HOUR_MS) {
    const ms = Math.min(to, h + HOUR_MS) - Math.max(from, h);
    if (ms > 0) out.push([h, ms / 60_000]);
  }
  return out;
}

/** Mean service and assignment-to-door minutes over hours (null with fewer than `minDelivered` orders). */
export function observedService(rows: readonly ServiceTimeHour[], minDelivered = 30): { serviceMin: number; doorMin: number; delivered: number } | null {
  const delivered = rows.reduce((s, r) => s + r.delivered, 0);
  if (delivered < minDelivered) return null;
  return { serviceMin: rows.reduce((s, r) => s + r.busyRiderMin, 0) / delivered, doorMin: rows.reduce((s, r) => s + r.doorMinSum, 0) / delivered, delivered };
}

/** Simulated hours of the log the rule reads its service and door times from. */
export const SERVICE_WINDOW_H = 6;

/**
 * The staffing parameters at `nowMs`: `base` with the service and assignment-to-door minutes
 * dispatch achieved over the last `windowH` complete simulated hours, when at least
 * `minDelivered` orders were delivered in them (else `base` as it is).
 */
export function observedStaffing(tap: ServiceTimeTap, nowMs: number, base: StaffingParams, windowH = SERVICE_WINDOW_H, minDelivered = 30): StaffingParams & { observed: boolean } {
  const hourNow = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const seen = observedService(tap.rows(hourNow - windowH * HOUR_MS, hourNow), minDelivered);
  return seen ? { ...base, serviceMin: seen.serviceMin, doorMin: seen.doorMin, observed: true } : { ...base, observed: false };
}
