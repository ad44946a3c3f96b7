// The pure core of the projector: folds a batch of log events into row changes. No I/O.
import type { LogEvent } from '@riderflow/contracts';

export type ProjectedType = 'rider.location' | 'rider.shift_started' | 'rider.shift_ended' | 'order.created' | 'order.ready' | 'order.assigned'
  | 'order.picked_up' | 'order.delivered' | 'order.cancelled' | 'dispatch.assigned' | 'roster.plan';

export const PROJECTED_TOPICS = ['order.events', 'rider.location', 'rider.shifts', 'dispatch.assignments', 'roster.plans'] as const;

export interface OrderRow {
  id: string; storeId: string; customerId: string; zoneId: string;
  storeLat: number; storeLon: number; dropLat: number; dropLon: number;
  placedAt: Date; expectedReadyAt: Date; status: string;
  readyAt: Date | null; assignedAt: Date | null; riderId: string | null; assignmentId: string | null;
  pickedUpAt: Date | null; deliveredAt: Date | null; clickToDoorMin: number | null;
  cancelledAt: Date | null; cancelReason: string | null;
  lastEventId: string; lastEventTs: Date;
}

export interface RiderRow {
  id: string; zoneId: string | null; status: string; lat: number | null; lon: number | null; speedKmh: number | null;
  onShift: boolean; shiftEnd: Date | null; lastEventId: string | null; lastEventTs: Date | null;
}

export interface ShiftRow { id: string; riderId: string; zoneId: string; startedAt: Date; plannedEnd: Date | null; endedAt: Date | null }
export interface AssignmentRow { id: string; riderId: string; storeId: string; orderIds: string; plannedPickupAt: Date; plannedDropoffsJson: string; createdAt: Date; eventId: string }
export interface RosterPlanRow { id: string; modelVersion: string; bucketStart: Date; horizonMin: number; zonesJson: string; movesJson: string; callInsJson: string; createdAt: Date }

export interface BatchState {
  orders: Map<string, OrderRow>;
  riders: Map<string, RiderRow>;
  /** Open shifts (endedAt null) of the riders in the batch, by rider id. */
  openShifts: Map<string, ShiftRow>;
}

export interface BatchChanges {
  orders: { created: OrderRow[]; updated: OrderRow[] };
  riders: { created: RiderRow[]; updated: RiderRow[] };
  shifts: { created: ShiftRow[]; ended: { id: string; endedAt: Date }[] };
  assignments: AssignmentRow[];
  rosterPlans: RosterPlanRow[];
  /** Events for rows that do not exist (e.g. order.ready without order.created): counted and skipped. */
  orphans: number;
}

const d = (ms: number) => new Date(ms);

function emptyRider(id: string): RiderRow {
  return { id, zoneId: null, status: 'off_shift', lat: null, lon: null, speedKmh: null, onShift: false, shiftEnd: null, lastEventId: null, lastEventTs: null };
}

/**
 * Applies events (in log order within each entity) to the current rows and returns what to write.
 * Deterministic: the same rows and events give the same changes, which is what makes a replay
 * leave the same rows. Rider state only moves forward in simulated time (an older ping never
 * overwrites a newer one), so replays and rebalances cannot roll it back.
 */
export function projectBatch(state: BatchState, events: LogEvent[]): BatchChanges {
  const orders = new Map(state.orders);
  const riders = new Map(state.riders);
  const openShifts = new Map(state.openShifts);
  const newOrders = new Set<string>();
  const touchedOrders = new Set<string>();
  const newRiders = new Set<string>();
  const touchedRiders = new Set<string>();
  const shiftsCreated: ShiftRow[] = [];
  const shiftsEnded = new Map<string, Date>();
  const assignments = new Map<string, AssignmentRow>();
  const rosterPlans = new Map<string, RosterPlanRow>();
  let orphans = 0;

  const rider = (id: string) => {
    let r = riders.get(id);
    if (!r) { r = emptyRider(id); riders.set(id, r); newRiders.add(id); }
    return r;
  };
  const riderUpdate = (id: string, ts: number, eventId: string, patch: Partial<RiderRow>) => {
    const current = rider(id);
    if (current.lastEventTs && current.lastEventTs.getTime() > ts) return;
    riders.set(id, { ...current, ...patch, lastEventId: eventId, lastEventTs: d(ts) });
    touchedRiders.add(id);
  };
  const orderUpdate = (id: string, e: LogEvent, patch: Partial<OrderRow>) => {
    const current = orders.get(id);
    if (!current) { orphans++; return; }
    orders.set(id, { ...current, ...patch, lastEventId: e.id, lastEventTs: d(e.ts) });
    touchedOrders.add(id);
  };

  for (const e of events) {
    switch (e.type) {
      case 'order.created':
        if (orders.has(e.orderId)) break; // created once; a replayed create changes nothing
        orders.set(e.orderId, {
          id: e.orderId, storeId: e.storeId, customerId: e.customerId, zoneId: e.zoneId,
          storeLat: e.storeLat, storeLon: e.storeLon, dropLat: e.dropLat, dropLon: e.dropLon,
          placedAt: d(e.placedAt), expectedReadyAt: d(e.expectedReadyAt), status: 'created',
          readyAt: null, assignedAt: null, riderId: null, assignmentId: null, pickedUpAt: null,
          deliveredAt: null, clickToDoorMin: null, cancelledAt: null, cancelReason: null,
          lastEventId: e.id, lastEventTs: d(e.ts),
        });
        newOrders.add(e.orderId);
        touchedOrders.add(e.orderId);
        break;
      case 'order.ready': {
        const o = orders.get(e.orderId);
        // Readiness is a store fact; it must not move a picked-up or delivered order backwards.
        orderUpdate(e.orderId, e, { readyAt: d(e.ts), ...(o && (o.status === 'created') ? { status: 'ready' } : {}) });
        break;
      }
      case 'order.assigned':
        orderUpdate(e.orderId, e, { status: 'assigned', riderId: e.riderId, assignmentId: e.assignmentId, assignedAt: d(e.ts) });
        break;
      case 'order.picked_up':
        orderUpdate(e.orderId, e, { status: 'picked_up', riderId: e.riderId, pickedUpAt: d(e.ts) });
        break;
      case 'order.delivered':
        orderUpdate(e.orderId, e, { status: 'delivered', riderId: e.riderId, deliveredAt: d(e.ts), clickToDoorMin: e.clickToDoorMin });
        break;
      case 'order.cancelled':
        orderUpdate(e.orderId, e, { status: 'cancelled', cancelledAt: d(e.ts), cancelReason: e.reason });
        break;
      case 'rider.location':
        riderUpdate(e.riderId, e.ts, e.id, { zoneId: e.zoneId, lat: e.lat, lon: e.lon, status: e.status, speedKmh: e.speedKmh, onShift: e.status !== 'off_shift' });
        break;
      case 'rider.shift_started': {
        riderUpdate(e.riderId, e.ts, e.id, { zoneId: e.zoneId, lat: e.lat, lon: e.lon, status: 'idle', onShift: true, shiftEnd: d(e.shiftEnd) });
        rider(e.riderId); // the shift row references the rider
        const shift: ShiftRow = { id: e.id, riderId: e.riderId, zoneId: e.zoneId, startedAt: d(e.ts), plannedEnd: d(e.shiftEnd), endedAt: null };
        shiftsCreated.push(shift);
        openShifts.set(e.riderId, shift);
        break;
      }
      case 'rider.shift_ended': {
        riderUpdate(e.riderId, e.ts, e.id, { status: 'off_shift', onShift: false });
        const open = openShifts.get(e.riderId);
        if (open) {
          open.endedAt = d(e.ts);
          if (!shiftsCreated.includes(open)) shiftsEnded.set(open.id, d(e.ts));
          openShifts.delete(e.riderId);
        }
        break;
      }
      case 'dispatch.assigned':
        assignments.set(e.assignmentId, {
          id: e.assignmentId, riderId: e.riderId, storeId: e.storeId, orderIds: JSON.stringify(e.orderIds),
          plannedPickupAt: d(e.plannedPickupAt), plannedDropoffsJson: JSON.stringify(e.plannedDropoffs), createdAt: d(e.ts), eventId: e.id,
        });
        break;
      case 'roster.plan':
        rosterPlans.set(e.planId, {
          id: e.planId, modelVersion: e.modelVersion, bucketStart: d(e.bucketStart), horizonMin: Math.round(e.horizonMin),
          zonesJson: JSON.stringify(e.zones), movesJson: JSON.stringify(e.moves), callInsJson: JSON.stringify(e.callIns), createdAt: d(e.ts),
        });
        break;
      default:
        break; // other event types are not projected
    }
  }

  const pick = <T>(map: Map<string, T>, ids: Set<string>) => [...ids].map((id) => map.get(id)!);
  return {
    orders: { created: pick(orders, newOrders), updated: pick(orders, new Set([...touchedOrders].filter((id) => !newOrders.has(id)))) },
    riders: { created: pick(riders, newRiders), updated: pick(riders, new Set([...touchedRiders].filter((id) => !newRiders.has(id)))) },
    shifts: { created: shiftsCreated, ended: [...shiftsEnded].map(([id, endedAt]) => ({ id, endedAt })) },
    assignments: [...assignments.values()],
    rosterPlans: [...rosterPlans.values()],
    orphans,
  };
}

/** Which events the projector records in ProcessedEvent (all but high-volume pings, which are guarded by time). */
export function tracksEventId(e: LogEvent): boolean {
  return e.type !== 'rider.location';
}
