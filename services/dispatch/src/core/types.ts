/** Planar coordinates in metres (MDRP instances use metres; the live service projects lat/lon). */
export interface Point {
  x: number;
  y: number;
}

/** Minutes to travel between two points; the MDRP rule is ceil(distance / metres per minute). */
export type TravelTime = (a: Point, b: Point) => number;

export interface Restaurant {
  id: string;
  loc: Point;
}

/** An order that is known (placed) and not yet given to a courier. */
export interface OpenOrder {
  id: string;
  restaurantId: string;
  placedAt: number;
  readyAt: number;
  drop: Point;
}

/**
 * A courier as the dispatcher sees it: where and when its committed plan ends. A courier follows
 * its instructions in order and waits at its last location, so that is where the next one starts.
 */
export interface CourierView {
  id: string;
  onTime: number;
  offTime: number;
  /** Time its committed plan ends (at least onTime). */
  freeAt: number;
  /** Where its committed plan ends. */
  freeLoc: Point;
  /** Restaurant id if the plan ends at a restaurant (then no move is needed to pick up there). */
  freeRestaurantId: string | null;
  /** Orders given to it so far: its pay is max(perOrder × orders, perHour × shift hours). */
  ordersAssigned: number;
  /**
   * The trip it was last sent on, while its pickup is still ahead (the MDRP simulation reports it;
   * the live loop does not): orders of the same restaurant may still join it (join.ts).
   */
  pendingTrip?: PendingTrip | null;
}

/** A committed trip whose pickup has not happened yet. */
export interface PendingTrip {
  restaurantId: string;
  /** In drop-off order. */
  orders: readonly OpenOrder[];
  /** Where and when the courier started the trip, and when it was given: the trip is re-planned from these. */
  start: { at: number; loc: Point; restaurantId: string | null };
  givenAt: number;
  plan: RoutePlan;
}

/** An order placed in the recent past, known to the dispatcher; used to estimate demand. */
export interface DemandSample {
  restaurantId: string;
  placedAt: number;
}

export interface DispatchInput {
  now: number;
  couriers: readonly CourierView[];
  openOrders: readonly OpenOrder[];
  restaurants: ReadonlyMap<string, Restaurant>;
  recentOrders: readonly DemandSample[];
}

export interface RoutePlan {
  departAt: number;
  /** Arrival at the restaurant (equals departAt when already there). */
  arriveAt: number;
  pickupAt: number;
  leaveRestaurantAt: number;
  /** Drop-off times in the order of orderIds. */
  dropoffs: number[];
  /** When the courier is free again (half a drop-off service after the last drop-off). */
  endAt: number;
}

export interface AssignDecision {
  kind: 'assign';
  courierId: string;
  restaurantId: string;
  /** Orders in drop-off sequence. */
  orderIds: string[];
  plan: RoutePlan;
}

export interface RepositionDecision {
  kind: 'reposition';
  courierId: string;
  restaurantId: string;
  departAt: number;
  arriveAt: number;
}

/**
 * More orders for a trip already under way (its pickup still ahead): the trip now carries
 * `orderIds` (in drop-off order, the old ones and `addedOrderIds`) on `plan`, re-planned from the
 * trip's start. Only for couriers that reported a `pendingTrip`.
 */
export interface JoinDecision {
  kind: 'join';
  courierId: string;
  restaurantId: string;
  orderIds: string[];
  addedOrderIds: string[];
  plan: RoutePlan;
}

export type Decision = AssignDecision | RepositionDecision | JoinDecision;
