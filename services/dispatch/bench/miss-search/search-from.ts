import { wholeMinuteTravel } from '@riderflow/geo';
import type { DispatchConfig } from '../../src/core/config.js';
import { certifyUndelivered } from '../../src/mdrp/certify.js';
import type { MdrpInstance } from '../../src/mdrp/instance.js';
import { mdrpPolicy, type SimulationResult } from '../../src/mdrp/simulate.js';
import { checkSolution, type CheckedSolution } from './check.js';
import { cpuProgress } from './cpu-budget.js';
import { timeCourierPlan, type CourierPlan, type PlanContext } from '../../src/core/trip-plan.js';
import { searchPlans, type SearchResult } from '../../src/core/plan-search.js';
import { runPlanFrom } from './seed.js';
import { spliceSolution } from './splice.js';
import { stateAt, type StateAtT } from './state.js';

export interface SearchFromT {
  state: StateAtT;
  ctx: PlanContext;
  /** The run's own plan from T, and its whole day spliced back (must equal the run). */
  runPlans: CourierPlan[];
  runFrom: number;
  /** Free orders some courier could serve alone (no certificate): the most any plan can carry. */
  servable: number;
  runChecked: CheckedSolution;
  search: SearchResult;
  checked: CheckedSolution;
}

/**
 * Takes the run's state at T, seeds the search with the run's own plan from T and returns the
 * best plan found, spliced into the run before T and checked by the validator.
 */
export function searchFrom(instance: MdrpInstance, config: DispatchConfig, whole: SimulationResult, at: number, budgetMs: number, seed = 'miss-search', maxBundle?: number): SearchFromT {
  const state = stateAt(instance, config, at);
  const cfg = mdrpPolicy(config, instance);
  const ctx: PlanContext = {
    now: state.now,
    restaurants: instance.restaurants,
    travel: wholeMinuteTravel(instance.params.metersPerMinute),
    service: { pickupServiceMin: cfg.pickupServiceMin, dropoffServiceMin: cfg.dropoffServiceMin },
  };
  const runPlans = runPlanFrom(instance, state, whole);
  state.couriers.forEach((c, i) => {
    if (!timeCourierPlan(c, runPlans[i], ctx).feasible) throw new Error(`the run's own plan of courier ${c.id} from ${state.now} does not time as the run did`);
  });
  const committed = new Set(state.couriers.flatMap((c) => c.pending?.orders.map((o) => o.id) ?? []));
  const runFrom = state.free.filter((o) => whole.deliveries.some((d) => d.orderId === o.id) && !committed.has(o.id)).length;
  const runChecked = checkSolution(instance, spliceSolution(state, runPlans, ctx));
  // every free order some courier could serve at all: the search stops when it plans them all
  const certified = new Set(certifyUndelivered(instance, { assignments: [], deliveries: [], moves: [] }).infeasible.map((c) => c.orderId));
  const servable = state.free.filter((o) => !certified.has(o.id)).length;
  const search = searchPlans(state.couriers, state.free, runPlans, ctx, { iterations: Infinity, progress: cpuProgress(budgetMs), seed: `${seed}:${instance.name}:${state.now}`, target: servable, maxBundle });
  const checked = checkSolution(instance, spliceSolution(state, search.plans, ctx));
  return { state, ctx, runPlans, runFrom, servable, runChecked, search, checked };
}
