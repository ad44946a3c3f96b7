// How a roster plan is named on every page: by the simulated window it plans for ("plan for
// 18:00–18:45, Mon 3 Mar 2025"), never by its raw id (plan-1741024800000 means nothing to a reader).
// Pure: shared by the live page and the rostering page.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Simulated time as a person reads it: "Mon 3 Mar 2025" (UTC: the simulator's clock). */
export function simDay(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** A plan's name: the simulated window it plans for. */
export function planName(bucketStart: number, horizonMin: number): string {
  return `plan for ${hhmm(bucketStart)}–${hhmm(bucketStart + horizonMin * 60_000)}, ${simDay(bucketStart)}`;
}

/** The live page's line under the event feed about the newest roster plan. */
export function latestPlanLine(plan: { bucketStart: number; horizonMin: number; modelVersion: string; moves: number }): string {
  return `Latest roster ${planName(plan.bucketStart, plan.horizonMin)} (model ${plan.modelVersion}): ${plan.moves === 1 ? '1 reposition move' : `${plan.moves} reposition moves`}.`;
}
