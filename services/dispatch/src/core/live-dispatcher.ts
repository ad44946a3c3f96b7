import type { DispatchAssigned, DispatchRepositioned, LogEvent, RiderInstruction } from '@riderflow/contracts';
import type { DispatchConfig } from './config.js';
import { dispatchRound } from './policy.js';
import type { CourierView, DemandSample, OpenOrder, Point, Restaurant, TravelTime } from './types.js';
import { LocalProjection } from '@riderflow/geo';

const MIN = 60_000;

interface Store extends Restaurant {
  lat: number;
  lon: number;
  zoneId: string;
}

interface LiveOrder extends OpenOrder {
  dropLat: number;
  dropLon: number;
}

interface Plan {
  assignmentId: string;
  orderIds: Set<string>;
  /** Minutes: when the rider should be free again, and where. */
  endAt: number;
  endLoc: Point;
  /** The store, whether the food is on board, and the drop-offs in their order: what is left to do. */
  storeLoc: Point;
  pickedUp: boolean;
  drops: { orderId: string; loc: Point }[];
}

interface Rider {
  id: string;
  onTime: number;
  offTime: number;
  loc: Point;
  plan: Plan | null;
  /** A reposition under way: treated as being at that store until it should have arrived. */
  heading: { storeId: string; loc: Point; until: number } | null;
  ordersAssigned: number;
}

export interface DispatchOutput {
  /** Facts for topic dispatch.assignments. */
  events: (DispatchAssigned | DispatchRepositioned)[];
  /** Instructions for exchange notifications, routing key rider.<riderId>. */
  instructions: RiderInstruction[];
}

/**
 * The dispatcher's view of the live world, built only from events on the log, and the rolling
 * horizon over it. Pure (no I/O): `apply` each event, then `tick` with the simulated time to get
 * the decisions to publish. Simulated time is the largest event timestamp seen. A rider whose
 * plan should have ended long ago (events lost) is considered free again.
 */
export class LiveDispatcher {
  private readonly projection = new LocalProjection();
  private readonly stores = new Map<string, Store>();
  private readonly orders = new Map<string, LiveOrder>();
  private readonly riders = new Map<string, Rider>();
  private readonly demand: DemandSample[] = [];
  private nextRoundAt = -Infinity;
  private nextPrepositionAt = -Infinity;
  /** Orders of the last round's assignments, kept so a failed publish can give them back. */
  private released = new Map<string, LiveOrder[]>();
  /** Simulated epoch ms: the newest event seen. */
  simNowMs = 0;

  constructor(
    private readonly config: DispatchConfig,
    private readonly travel: TravelTime,
    /** Shift length assumed for a rider first seen by a ping (its shift_started was before we started). */
    private readonly unknownShiftMin = 240,
  ) {}

  get openOrders(): number {
    return this.orders.size;
  }

  get ridersOnShift(): number {
    return this.riders.size;
  }

  /**
   * Undoes the last round's decisions when they could not be published: its orders are open
   * again and its riders free, so the next round can dispatch them.
   */
  revertLastRound(): void {
    for (const [assignmentId, orders] of this.released) {
      for (const o of orders) this.orders.set(o.id, o);
      for (const r of this.riders.values()) {
        if (r.plan?.assignmentId === assignmentId) {
          r.plan = null;
          r.ordersAssigned -= orders.length;
        }
      }
    }
    this.released = new Map();
    this.nextRoundAt = -Infinity;
  }

  /**
   * Learns a rider from a saved state (the compacted topic dispatch.rider-state) rather than from
   * its events: on shift since `onShiftSince` until `shiftEnd`, last seen at lat/lon. Simulated
   * time moves to `seenAt` if that is newer. Times are simulated epoch ms.
   */
  restoreRider(s: { riderId: string; lat: number; lon: number; onShiftSince: number; shiftEnd: number; seenAt: number }): void {
    this.simNowMs = Math.max(this.simNowMs, s.seenAt);
    this.riders.set(s.riderId, {
      id: s.riderId,
      onTime: s.onShiftSince / MIN,
      offTime: s.shiftEnd / MIN,
      loc: this.projection.toPoint(s.lat, s.lon),
      plan: null,
      heading: null,
      ordersAssigned: 0,
    });
  }

  apply(e: LogEvent): void {
    this.simNowMs = Math.max(this.simNowMs, e.ts);
    const now = e.ts / MIN;
    switch (e.type) {
      case 'order.created': {
        const loc = this.projection.toPoint(e.storeLat, e.storeLon);
        if (!this.stores.has(e.storeId)) this.stores.set(e.storeId, { id: e.storeId, loc, lat: e.storeLat, lon: e.storeLon, zoneId: e.zoneId });
        this.orders.set(e.orderId, {
          id: e.orderId,
          restaurantId: e.storeId,
          placedAt: e.placedAt / MIN,
          readyAt: e.expectedReadyAt / MIN,
          drop: this.projection.toPoint(e.dropLat, e.dropLon),
          dropLat: e.dropLat,
          dropLon: e.dropLon,
        });
        this.demand.push({ restaurantId: e.storeId, placedAt: e.placedAt / MIN });
        break;
      }
      case 'order.assigned':
        this.orders.delete(e.orderId);
        break;
      case 'order.picked_up': {
        // the event names its rider: no need to search every rider's plan
        const plan = this.riders.get(e.riderId)?.plan;
        if (plan?.orderIds.has(e.orderId)) plan.pickedUp = true;
        break;
      }
      case 'order.delivered':
      case 'order.cancelled':
        this.orders.delete(e.orderId);
        for (const r of this.riders.values()) {
          if (r.plan?.orderIds.delete(e.orderId) && r.plan.orderIds.size === 0) r.plan = null;
        }
        break;
      case 'rider.shift_started':
        this.riders.set(e.riderId, {
          id: e.riderId,
          onTime: now,
          offTime: e.shiftEnd / MIN,
          loc: this.projection.toPoint(e.lat, e.lon),
          plan: null,
          heading: null,
          ordersAssigned: 0,
        });
        break;
      case 'rider.shift_ended':
        this.riders.delete(e.riderId);
        break;
      case 'rider.location': {
        if (e.status === 'off_shift') {
          this.riders.delete(e.riderId);
          break;
        }
        const loc = this.projection.toPoint(e.lat, e.lon);
        const r = this.riders.get(e.riderId);
        if (r) r.loc = loc;
        else this.riders.set(e.riderId, { id: e.riderId, onTime: now, offTime: now + this.unknownShiftMin, loc, plan: null, heading: null, ordersAssigned: 0 });
        break;
      }
      default:
        break;
    }
  }

  /**
   * When a rider with a plan will be free, judged from where it last pinged and what is left (the
   * pickup if the food is not on board yet, then its remaining drop-offs, full service times). A
   * rider slower than planned (its own speed, rain) is still riding when its plan says it is free;
   * taken as free then, it would be sent a trip it can start only after finishing this one, while
   * the orders of that trip wait (their food at the store) and a free rider may be idle nearby.
   */
  private finishFromHere(r: Rider, plan: Plan, now: number): number {
    let at = now;
    let loc = r.loc;
    if (!plan.pickedUp) {
      at += this.travel(loc, plan.storeLoc) + this.config.pickupServiceMin;
      loc = plan.storeLoc;
    }
    for (const d of plan.drops) {
      if (!plan.orderIds.has(d.orderId)) continue;
      at += this.travel(loc, d.loc) + this.config.dropoffServiceMin;
      loc = d.loc;
    }
    return at;
  }

  /** Runs a round if one is due at the current simulated time; returns what to publish. */
  tick(): DispatchOutput {
    const out: DispatchOutput = { events: [], instructions: [] };
    const nowMs = this.simNowMs;
    if (nowMs < this.nextRoundAt) return out;
    this.released = new Map();
    this.nextRoundAt = nowMs + this.config.reoptimizeEveryMin * MIN;
    const preposition = nowMs >= this.nextPrepositionAt;
    if (preposition) this.nextPrepositionAt = nowMs + this.config.prepositionEveryMin * MIN;
    const now = nowMs / MIN;
    while (this.demand.length > 0 && this.demand[0].placedAt <= now - this.config.demandWindowMin) this.demand.shift();

    const couriers: CourierView[] = [];
    for (const r of this.riders.values()) {
      if (r.plan && r.plan.endAt < now - 30) r.plan = null; // its events were lost; it has long been free
      if (r.heading && (r.plan || r.heading.until < now)) r.heading = null;
      couriers.push({
        id: r.id,
        onTime: r.onTime,
        offTime: r.offTime,
        freeAt: r.plan ? Math.max(now, r.plan.endAt, this.finishFromHere(r, r.plan, now)) : now,
        freeLoc: r.plan ? r.plan.endLoc : (r.heading?.loc ?? r.loc),
        freeRestaurantId: r.plan ? null : (r.heading?.storeId ?? null),
        ordersAssigned: r.ordersAssigned,
      });
    }
    const round = dispatchRound(
      { now, couriers, openOrders: [...this.orders.values()], restaurants: this.stores, recentOrders: this.demand },
      this.config,
      this.travel,
      { preposition },
    );
    for (const d of round.decisions) {
      const rider = this.riders.get(d.courierId)!;
      const store = this.stores.get(d.restaurantId)!;
      // the live loop reports no pending trips, so the core never asks it to join one
      if (d.kind === 'join') throw new Error(`join decision for rider ${d.courierId} without a pending trip`);
      if (d.kind === 'assign') {
        const assignmentId = `asg-${rider.id}-${nowMs}`;
        const orders = d.orderIds.map((id) => this.orders.get(id)!);
        out.events.push({
          type: 'dispatch.assigned',
          v: 1,
          id: `dispatch:${assignmentId}`,
          ts: nowMs,
          assignmentId,
          riderId: rider.id,
          storeId: store.id,
          orderIds: d.orderIds,
          plannedPickupAt: Math.round(d.plan.pickupAt * MIN),
          plannedDropoffs: d.orderIds.map((orderId, i) => ({ orderId, at: Math.round(d.plan.dropoffs[i] * MIN) })),
        });
        out.instructions.push({
          type: 'rider.instruction',
          v: 1,
          id: `instruction:${assignmentId}`,
          ts: nowMs,
          riderId: rider.id,
          action: 'pickup',
          assignmentId,
          storeId: store.id,
          storeLat: store.lat,
          storeLon: store.lon,
          orders: orders.map((o) => ({ orderId: o.id, dropLat: o.dropLat, dropLon: o.dropLon })),
        });
        for (const id of d.orderIds) {
          this.released.set(assignmentId, [...(this.released.get(assignmentId) ?? []), this.orders.get(id)!]);
          this.orders.delete(id);
        }
        rider.plan = {
          assignmentId, orderIds: new Set(d.orderIds), endAt: d.plan.endAt, endLoc: orders[orders.length - 1].drop,
          storeLoc: store.loc, pickedUp: false, drops: orders.map((o) => ({ orderId: o.id, loc: o.drop })),
        };
        rider.ordersAssigned += d.orderIds.length;
      } else {
        const id = `reposition:${rider.id}-${nowMs}`;
        out.events.push({
          type: 'dispatch.repositioned',
          v: 1,
          id,
          ts: nowMs,
          riderId: rider.id,
          zoneId: store.zoneId,
          lat: store.lat,
          lon: store.lon,
          reason: `expected demand at store ${store.id}`,
        });
        out.instructions.push({ type: 'rider.instruction', v: 1, id: `instruction:${id}`, ts: nowMs, riderId: rider.id, action: 'reposition', zoneId: store.zoneId, lat: store.lat, lon: store.lon });
        // On its way it is still free for work (a pickup instruction replaces a reposition).
        rider.heading = { storeId: store.id, loc: store.loc, until: d.arriveAt };
      }
    }
    return out;
  }
}
