import type { LogEvent, OrderCancelled } from '@riderflow/contracts';

// A simulator keeps riders' jobs and customers' orders in memory only, so an order still in
// flight when a run stops has nobody left to deliver or cancel it. A resumed start reads the
// order lifecycle back from the log (adapters/open-orders-reader.ts) and closes every such order
// explicitly, with a reason that says why: never silently stranded.

/** How far an order had got when the log ends: the newest lifecycle event that is not an end. */
export type InFlightStage = 'created' | 'ready' | 'assigned' | 'picked_up';

export interface InFlightOrder {
  orderId: string;
  stage: InFlightStage;
  /** The rider it was assigned to, when it was. */
  riderId?: string;
  /** Simulated time of its newest lifecycle event. */
  lastAt: number;
}

const STAGE_RANK: Record<InFlightStage, number> = { created: 0, ready: 1, assigned: 2, picked_up: 3 };

/**
 * The orders open before `beforeMs`: seen on the log (created, ready, assigned or picked up) and
 * neither delivered nor cancelled. Events at or after `beforeMs`, and other event types, are
 * ignored. Events may come in any order across partitions (one order's events share a partition,
 * so they are in order among themselves; the ranks make that not matter either).
 */
export function inFlightOrders(events: Iterable<LogEvent>, beforeMs: number): InFlightOrder[] {
  const open = new Map<string, InFlightOrder>();
  const closed = new Set<string>();
  for (const e of events) {
    if (e.ts >= beforeMs) continue;
    switch (e.type) {
      case 'order.delivered':
      case 'order.cancelled':
        closed.add(e.orderId);
        open.delete(e.orderId);
        break;
      case 'order.created':
      case 'order.ready':
      case 'order.assigned':
      case 'order.picked_up': {
        if (closed.has(e.orderId)) break;
        const stage: InFlightStage = e.type === 'order.created' ? 'created' : e.type === 'order.ready' ? 'ready' : e.type === 'order.assigned' ? 'assigned' : 'picked_up';
        const prev = open.get(e.orderId);
        const riderId = e.type === 'order.assigned' || e.type === 'order.picked_up' ? e.riderId : prev?.riderId;
        const keepStage = prev && STAGE_RANK[prev.stage] > STAGE_RANK[stage];
        open.set(e.orderId, { orderId: e.orderId, stage: keepStage ? prev.stage : stage, ...(riderId ? { riderId } : {}), lastAt: Math.max(prev?.lastAt ?? 0, e.ts) });
        break;
      }
      default:
        break;
    }
  }
  return [...open.values()].sort((a, b) => a.lastAt - b.lastAt || a.orderId.localeCompare(b.orderId));
}

/**
 * The cancellations that close stranded orders at `atMs` (the resumed run's start), reason
 * `simulator_restart`. Ids are deterministic, so a reader that deduplicates by id sees one each.
 */
export function restartCancellations(orders: readonly InFlightOrder[], atMs: number): OrderCancelled[] {
  return orders.map((o) => ({ type: 'order.cancelled', v: 1, id: `${o.orderId}:cancelled:restart`, ts: atMs, orderId: o.orderId, reason: 'simulator_restart' }));
}

/** One line for the run's output: how many were closed and how far they had got. */
export function formatStranded(orders: readonly InFlightOrder[]): string {
  // Only a true restart passes --resume: a first start takes the history's orders over (history-handover.ts).
  if (orders.length === 0) return 'continuing the log: no order of an earlier run was in flight';
  const byStage = new Map<InFlightStage, number>();
  for (const o of orders) byStage.set(o.stage, (byStage.get(o.stage) ?? 0) + 1);
  const parts = (Object.keys(STAGE_RANK) as InFlightStage[]).filter((s) => byStage.has(s)).map((s) => `${byStage.get(s)} ${s.replace('_', ' ')}`);
  return `continuing the log: ${orders.length} order${orders.length === 1 ? '' : 's'} an earlier run left in flight (${parts.join(', ')}) cancelled, reason simulator_restart: in-flight orders are not resumed`;
}
