import { planRoute, type RouteStart, type ServiceMinutes } from './route.js';
import type { OpenOrder, Point, RoutePlan, TravelTime } from './types.js';

/**
 * A courier as a whole-sequence plan sees it: free from `start` (after its pending trip, if any);
 * a pending trip (sent, pickup still ahead) keeps its orders and may take more of its restaurant,
 * re-planned from where and when it was given (as a join does, join.ts).
 */
export interface PlanCourier {
  id: string;
  offTime: number;
  start: RouteStart;
  pending: { restaurantId: string; orders: readonly OpenOrder[]; start: RouteStart; givenAt: number } | null;
}

/** One pickup at a restaurant and its drop-offs, in drop-off order. */
export interface PlanTrip {
  restaurantId: string;
  orders: OpenOrder[];
  /** The courier does not leave for it before this minute (a trip given online at that minute). */
  departNotBefore?: number;
}

/**
 * What one courier does from T: its pending trip's orders (the committed ones and any that join,
 * in drop-off order; null without a pending trip), then its new trips in order.
 */
export interface CourierPlan {
  pending: OpenOrder[] | null;
  trips: PlanTrip[];
}

export interface PlanContext {
  now: number;
  restaurants: ReadonlyMap<string, { loc: Point }>;
  travel: TravelTime;
  service: ServiceMinutes;
}

export interface TimedCourierPlan {
  /** Every pickup by the off_time. */
  feasible: boolean;
  /** Σ (drop-off − placement) over every order the plan carries, pending ones included. */
  clickToDoor: number;
  pendingRoute: RoutePlan | null;
  routes: RoutePlan[];
}

/**
 * Times one courier's plan by the MDRP rules, as the simulation would carry it out (core/route.ts):
 * the pending trip is re-planned from where and when it was given (as a join does), each new trip
 * leaves as soon as the courier is free and not before T (a courier may wait at the restaurant
 * before an order is placed: only the assignment must come after the placement, and it can be
 * dated at max(T, placements) ≤ pickup).
 */
export function timeCourierPlan(courier: PlanCourier, plan: CourierPlan, ctx: PlanContext): TimedCourierPlan {
  let feasible = true;
  let clickToDoor = 0;
  let start: RouteStart = courier.start;
  let pendingRoute: RoutePlan | null = null;
  const carry = (orders: readonly OpenOrder[], route: RoutePlan) => {
    if (route.pickupAt > courier.offTime) feasible = false;
    orders.forEach((o, i) => (clickToDoor += route.dropoffs[i] - o.placedAt));
    start = { at: route.endAt, loc: orders[orders.length - 1].drop, restaurantId: null };
  };
  if (courier.pending && plan.pending) {
    const p = courier.pending;
    pendingRoute = planRoute(p.start, p.givenAt, p.restaurantId, ctx.restaurants.get(p.restaurantId)!.loc, plan.pending, ctx.travel, ctx.service);
    carry(plan.pending, pendingRoute);
  }
  const routes: RoutePlan[] = [];
  for (const trip of plan.trips) {
    const route = planRoute(start, Math.max(ctx.now, trip.departNotBefore ?? -Infinity), trip.restaurantId, ctx.restaurants.get(trip.restaurantId)!.loc, trip.orders, ctx.travel, ctx.service);
    routes.push(route);
    carry(trip.orders, route);
  }
  return { feasible, clickToDoor, pendingRoute, routes };
}

/** Where a courier starts trip k of its plan (k = 0..trips), the click-to-door and feasibility of what comes before it. */
export interface PlanPrefix {
  starts: RouteStart[];
  clickToDoor: number[];
  feasible: boolean[];
}

/** The start of every trip of a plan as timeCourierPlan times it: a candidate that changes trip k re-times only from k on. */
export function planPrefix(courier: PlanCourier, plan: CourierPlan, ctx: PlanContext): PlanPrefix {
  const timed = timeCourierPlan(courier, plan, ctx);
  const starts: RouteStart[] = [];
  const clickToDoor: number[] = [];
  const feasible: boolean[] = [];
  let start: RouteStart = courier.start;
  let c2d = 0;
  let ok = true;
  if (timed.pendingRoute && plan.pending) {
    ok = timed.pendingRoute.pickupAt <= courier.offTime;
    plan.pending.forEach((o, i) => (c2d += timed.pendingRoute!.dropoffs[i] - o.placedAt));
    start = { at: timed.pendingRoute.endAt, loc: plan.pending[plan.pending.length - 1].drop, restaurantId: null };
  }
  plan.trips.forEach((trip, k) => {
    starts.push(start);
    clickToDoor.push(c2d);
    feasible.push(ok);
    const route = timed.routes[k];
    if (route.pickupAt > courier.offTime) ok = false;
    trip.orders.forEach((o, i) => (c2d += route.dropoffs[i] - o.placedAt));
    start = { at: route.endAt, loc: trip.orders[trip.orders.length - 1].drop, restaurantId: null };
  });
  starts.push(start);
  clickToDoor.push(c2d);
  feasible.push(ok);
  return { starts, clickToDoor, feasible };
}

/**
 * Click-to-door of trips carried from `start` on, as timeCourierPlan would add them up; null as
 * soon as one picks up after the off_time (the caller drops an infeasible candidate anyway).
 */
export function timeTripsFrom(courier: PlanCourier, start: RouteStart, trips: readonly PlanTrip[], ctx: PlanContext): number | null {
  let c2d = 0;
  let at = start;
  for (const trip of trips) {
    const route = planRoute(at, Math.max(ctx.now, trip.departNotBefore ?? -Infinity), trip.restaurantId, ctx.restaurants.get(trip.restaurantId)!.loc, trip.orders, ctx.travel, ctx.service);
    if (route.pickupAt > courier.offTime) return null;
    trip.orders.forEach((o, i) => (c2d += route.dropoffs[i] - o.placedAt));
    at = { at: route.endAt, loc: trip.orders[trip.orders.length - 1].drop, restaurantId: null };
  }
  return c2d;
}

export function clonePlan(plan: CourierPlan): CourierPlan {
  return { pending: plan.pending ? [...plan.pending] : null, trips: plan.trips.map((t) => ({ ...t, orders: [...t.orders] })) };
}

/** The ids of the orders a plan carries that are not committed at T. */
export function plannedFreeIds(plans: readonly CourierPlan[], committed: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const p of plans) {
    for (const o of p.pending ?? []) if (!committed.has(o.id)) out.add(o.id);
    for (const t of p.trips) for (const o of t.orders) out.add(o.id);
  }
  return out;
}
