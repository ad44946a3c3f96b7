import { CITY_SERVICE_MIN } from '@riderflow/geo';
import { z } from 'zod';

/**
 * The dispatch policy's parameters. Times are minutes of simulated time. Defaults are the values
 * tuned on the MDRP development instances (see services/dispatch/README.md).
 */
export const DispatchConfigSchema = z.object({
  /** Re-optimise every this many minutes (the rolling horizon's step). */
  reoptimizeEveryMin: z.number().positive().default(1),
  /** Orders whose ready time is more than this far ahead are left out of the matching. */
  assignHorizonMin: z.number().positive().default(30),
  /**
   * A matched courier is committed (sent) only once it must leave within this many minutes to make
   * the planned pickup; until then the match stays provisional so later information can improve it.
   */
  commitSlackMin: z.number().min(0).default(1),
  /**
   * ...but an order that has waited this many minutes since its click is committed to its matched
   * courier (if that courier is free now) even when the courier could leave later: the live
   * platform cancels an order nobody was given within 20 minutes (the simulator's --cancel-after),
   * and a long-preparation order kept provisional until its courier must leave would be cancelled
   * first. 0 = off (no such deadline, as in MDRP).
   */
  commitByAgeMin: z.number().min(0).default(15),
  /**
   * Pickup and drop-off service minutes. Default: the simulated city's (@riderflow/geo's
   * CITY_SERVICE_MIN, which the simulator's riders spend), so live plans follow what riders do.
   * The MDRP benchmark always uses its instance's (4 and 4 in the public instances).
   */
  pickupServiceMin: z.number().min(0).default(CITY_SERVICE_MIN.pickup),
  dropoffServiceMin: z.number().min(0).default(CITY_SERVICE_MIN.dropoff),

  /** Largest bundle (orders of one restaurant picked up together). */
  maxBundleSize: z.number().int().min(1).default(3),
  /** Orders whose ready times differ by more than this are never bundled. */
  bundleReadySpreadMin: z.number().min(0).default(10),
  /**
   * Minutes of extra delivery delay a bundle may add and still pay off, because it frees a courier.
   * The value grows with courier scarcity: base + perScarcity × (orders per available courier).
   */
  bundleCourierValueBaseMin: z.number().min(0).default(2),
  bundleCourierValuePerScarcityMin: z.number().min(0).default(12),
  /** Scarcity = orders ready within this many minutes per courier free within it. */
  scarcityWindowMin: z.number().positive().default(10),
  /**
   * Load-aware bundling (issue 18, twelfth stop): outside the end game, an order's ready time
   * counts no earlier than the earliest pickup any candidate courier could make at its restaurant
   * (from where and when it is free). When every courier is busy or far (overloaded hours) the
   * pickup cannot happen before then anyway, so a merge with an order ready a little later costs
   * less delay than the ready times alone say, and more orders share a pickup. Off: ready times
   * count from now.
   */
  bundleReadyFromArrival: z.boolean().default(false),
  /**
   * ...only while more than this many couriers are on shift (0 = always): the end-of-day races
   * are decided by which orders the last couriers' trips carry, and the floor moves them.
   */
  bundleReadyFromArrivalMinCouriers: z.number().int().min(0).default(0),

  /**
   * Weight on the minutes a courier drives empty to the restaurant. Click-to-door alone cannot tell
   * a near courier from a far one when both would arrive before the food is ready, yet the far
   * one's drive is capacity lost to every later order.
   */
  emptyTravelWeight: z.number().min(0).default(0),
  /**
   * Reward per minute an order has already waited since placement (fairness under backlog: 0
   * serves the quickest orders first and can starve old ones; above 1 serves the oldest first).
   */
  ageWeight: z.number().min(0).default(1),
  /** The age reward starts this many minutes after placement. */
  ageThresholdMin: z.number().min(0).default(0),
  /**
   * Under a backlog (orders ready soon per courier free soon above 1, full at 2), weight on the
   * minutes a match keeps its courier busy: throughput then matters more than each order's delay.
   */
  backlogBusyWeight: z.number().min(0).default(0.5),
  /** Minutes of delay worth one dollar of extra courier pay (pay above the guaranteed minimum). */
  minutesPerDollar: z.number().min(0).default(0.3),
  /**
   * Pay forecast: the extra pay of an order is judged against the orders a courier is expected to
   * have by its off time (those given so far + this × its remaining shift hours × the recent
   * orders per courier-hour), not only those given so far. 0 = orders so far only.
   */
  payForecastWeight: z.number().min(0).default(0),
  /** ...only while more than this many couriers are still on shift (the end of the day is for delivering, not for pay). */
  payForecastMinCouriers: z.number().int().min(0).default(20),
  /**
   * The forecast as a distribution, not a mean: the future orders are Poisson with the forecast as
   * mean, and an order costs its expected extra pay (smooth in the forecast instead of a step at
   * the guarantee). Only with payForecastWeight > 0.
   */
  payForecastPoisson: z.boolean().default(false),
  /**
   * The pay term off at the end of the day: once at most this many couriers are on shift, the
   * matching ignores pay altogether (not only the forecast), so the last couriers' orders go where
   * they are delivered soonest. 0 = off (the pay term always counts).
   */
  payBlindMinCouriers: z.number().int().min(0).default(0),
  /** The pay term off for a bundle with an order at risk (not only the forecast). */
  payBlindAtRisk: z.boolean().default(false),
  /**
   * Courier-level fairness as a tie-break band: a pair's cost is lowered by up to this many minutes
   * for a courier expected to be paid part of its guarantee for nothing (the full band at one
   * order's pay or more: min(1, E[max(0, guarantee − perOrder × (orders so far + F))] / perOrder),
   * F ~ Poisson(payFairnessForecastWeight × recent orders per courier-hour × hours left)). Among
   * couriers whose trips cost within the band of the best, the one furthest under its guarantee
   * takes the order, so click-to-door pays at most the band for it. Never for a bundle with an
   * order at risk. 0 = off.
   */
  payFairnessBandMin: z.number().min(0).default(0),
  /** ...only while more than this many couriers are on shift (the end of the day is for delivering). */
  payFairnessMinCouriers: z.number().int().min(0).default(20),
  /** The forecast weight of the fairness band's expected unearned guarantee. */
  payFairnessForecastWeight: z.number().min(0).default(1),
  payPerOrder: z.number().min(0).default(10),
  payPerHour: z.number().min(0).default(15),

  /**
   * Risk of an order finding no courier: an order whose best margin (some courier's off_time minus
   * the earliest it could pick the order up, from the couriers' committed plans) is under this many
   * minutes is at risk, from 0 at this margin to 1 at no margin. 0 turns risk off.
   */
  riskSlackMin: z.number().min(0).default(30),
  /**
   * An order that at most this many couriers can still serve (by their off time) is at risk too,
   * while its best margin is under riskCapableMarginMin (0 = off).
   */
  riskCapableCouriers: z.number().int().min(0).default(3),
  riskCapableMarginMin: z.number().min(0).default(120),
  /** An order at risk 1 is worth 1 + this many orders in the matching. */
  riskRewardFactor: z.number().min(0).default(1),
  /** Extra minutes a bundle with an order at risk 1 may add and still pay off (it may save that order). */
  riskCourierValueMin: z.number().min(0).default(30),
  /** Rescue: an at-risk order left unmatched rides along with a pickup at its restaurant, up to this bundle size (0 = off). */
  rescueMaxBundleSize: z.number().int().min(0).default(5),
  /** ...if it is ready at most this many minutes after that pickup (which then waits for it). */
  rescueWaitMin: z.number().min(0).default(10),
  /**
   * Late-day chain: an at-risk bundle left unmatched goes first to a matched courier that can
   * still make its own pickup afterwards (by its off time); that match is re-planned next round.
   */
  chainRescue: z.boolean().default(true),
  /**
   * Join: an order that is doomed (no courier can serve it from where its plan ends) joins a trip
   * already under way to its restaurant whose pickup is still ahead (join.ts), within
   * rescueWaitMin and rescueMaxBundleSize; with joinEveryOrder, other orders may join too when
   * the delay they add is under the bundling courier value (+ riskCourierValueMin × risk).
   */
  joinEnRoute: z.boolean().default(true),
  joinEveryOrder: z.boolean().default(false),
  /**
   * Load-aware join (issue 18, twelfth stop): every order may join a trip under way (as with
   * joinEveryOrder) in rounds whose scarcity (orders ready within scarcityWindowMin per courier
   * free within it) is at least this: in overloaded hours a ride-along saves a whole trip. 0 = off.
   */
  joinEveryOrderMinScarcity: z.number().min(0).default(0),

  /**
   * End game: once at most this many couriers are still on shift (0 = off) and all open orders
   * make at most endgameMaxBundles bundles, next trips come from a branch-and-bound search over
   * whole trip sequences (src/core/endgame.ts) that maximises the orders still delivered.
   */
  endgameMaxCouriers: z.number().int().min(0).default(10),
  endgameMaxBundles: z.number().int().min(0).default(20),
  /** Search nodes per round (deterministic: the best plan found within the budget is used). */
  endgameNodeBudget: z.number().int().min(1).default(100000),
  /**
   * End game: each minute of shift a plan leaves a courier after its last trip is worth this many
   * minutes of click-to-door (capacity kept for orders not placed yet; 0 = off).
   */
  endgameSpareWeight: z.number().min(0).default(0),
  /**
   * End game: a bundle may also be inserted before a courier's planned trips (those re-planned
   * after it), not only appended: trips need not follow ready order.
   */
  endgameInsertion: z.boolean().default(false),
  /**
   * End game: search by limited discrepancy (passes allowing 0, 1, 2, ... choices other than the
   * first) instead of plain depth-first, so a spent budget has revised early choices too.
   */
  endgameDiscrepancySearch: z.boolean().default(false),
  /**
   * End-game planner (endgame-planner.ts): when the branch-and-bound plan leaves out an order some
   * courier could still serve, a ruin-and-recreate search of this many iterations re-plans the
   * couriers' whole trip sequences from it (orders join trips before their pickup, bundles up to
   * endgameSearchMaxBundle); the plan delivering most, then soonest, is used. 0 = off.
   */
  endgameSearchIterations: z.number().int().min(0).default(0),
  endgameSearchMaxBundle: z.number().int().min(1).default(8),
  /**
   * End-game planner: search only in rounds where a left-out order's last chance is at most this
   * many minutes ahead (the latest time a courier that can serve it must leave, from where it is
   * free, to pick it up by its off_time); earlier rounds keep the branch-and-bound plan.
   */
  endgameSearchWindowMin: z.number().min(0).default(20),
  /**
   * End-game planner: carry its whole plan from round to round (endgame-carry.ts). A round starts
   * from last round's plan, brought up to now, when it plans more orders than the branch and bound
   * (or as many, sooner), so a plan one round's search found is not lost in a round that does not
   * search or whose search misses it. Off: every round starts from the branch and bound.
   */
  endgameCarryPlan: z.boolean().default(false),

  /** Prepositioning of idle couriers toward restaurants with recent demand. */
  prepositionEnabled: z.boolean().default(true),
  /** Prepositioning is decided every this many minutes (moves are slower to pay off than matches). */
  prepositionEveryMin: z.number().positive().default(5),
  /** Demand is estimated from the orders placed in this trailing window. */
  demandWindowMin: z.number().positive().default(60),
  /** Only restaurants with at least this many recent orders attract couriers. */
  prepositionMinDemand: z.number().min(0).default(1),
  /** A courier moves only if its target is farther than this, and at most this far. */
  prepositionMinMoveMin: z.number().min(0).default(3),
  prepositionMaxMoveMin: z.number().min(0).default(20),
  /** Couriers with less than this left on shift are not moved. */
  prepositionMinShiftLeftMin: z.number().min(0).default(20),
  /**
   * Issue 18, thirteenth stop (net-demand.ts): slots per restaurant from a forecast over
   * prepositionForecastHorizonMin at the recent rate, plus the placed orders no courier is matched
   * to, minus the couriers not free to move that will be free at or near it within the horizon
   * (busy, already on their way, starting there). Off: one slot per two recent orders.
   */
  prepositionNetDemand: z.boolean().default(false),
  /** The net demand's horizon (30: one slot per two orders of the 60-min window, the plain rule's rate). */
  prepositionForecastHorizonMin: z.number().positive().default(30),
  /** With prepositionNetDemand: net only the couriers heading to or waiting at the restaurant, no backlog (thirteenth stop's second variant). */
  prepositionNetHeadingOnly: z.boolean().default(false),
  // strict: a key that is not a parameter (a typo, or an option removed since: the README's rows
  // say where its code is) is an error, not silently the default
}).strict();

export type DispatchConfig = z.infer<typeof DispatchConfigSchema>;
export type DispatchConfigInput = z.input<typeof DispatchConfigSchema>;

/** One line per problem, "path: message" (a key the strict schema refuses has no path of its own). */
export function describeConfigIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function dispatchConfig(overrides: DispatchConfigInput = {}): DispatchConfig {
  return DispatchConfigSchema.parse(overrides);
}
