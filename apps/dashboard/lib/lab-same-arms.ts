import type { LabKpiReport, LabRunRecord } from '@riderflow/contracts';
import { LAB_POLICY_LEVER } from '@riderflow/contracts/lab-levers';

// A policy that turns off something live dispatch never did in the window (bundling, say) gives
// the same outcome as live: the arms are identical, and without a word the reader takes the lab
// for broken. This decides, from the runs' own records, what to say about it.

/** What the page says about a run's policy lever: how often live and the run did it, and the note when the arms are identical. */
export interface LeverNote {
  /** e.g. "orders bundled in the window: live 0 (recorded), this run 0" */
  counts: string;
  /** e.g. "live bundled no orders in this window, so no-bundling equals live (…)"; null when the arms differ or live did it */
  same: string | null;
}

const sameReport = (a: LabKpiReport, b: LabKpiReport) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The live arm is a lab run of policy live on the same window, rostering, seeds and no extra
 * parameters when there is one (its replays), else the recorded column (what live dispatch did).
 */
export function leverNote(record: LabRunRecord, runs: readonly LabRunRecord[]): LeverNote | null {
  const lever = LAB_POLICY_LEVER[record.policy];
  if (!lever || !record.levers || record.sets.length > 0) return null;
  const liveRun = runs.find((r) => r.policy === 'live' && r.sets.length === 0 && r.levers && r.fromMs === record.fromMs && r.toMs === record.toMs
    && (r.rostering?.policy ?? 'off') === (record.rostering?.policy ?? 'off') && JSON.stringify(r.seeds) === JSON.stringify(record.seeds));
  const live = liveRun
    ? { name: `lab run ${liveRun.runId}`, did: Math.max(...liveRun.levers!.lab.map((l) => l[lever.lever])), same: record.lab.length === liveRun.lab.length && record.lab.every((l, i) => sameReport(l, liveRun.lab[i]!)) }
    : { name: 'the recorded column', did: record.levers.recorded[lever.lever], same: record.lab.every((l) => sameReport(l, record.recorded)) };
  const own = Math.max(...record.levers.lab.map((l) => l[lever.lever]));
  const counts = `${lever.thing} in the window: live ${record.levers.recorded[lever.lever]} (recorded)${liveRun ? `, ${Math.max(...liveRun.levers!.lab.map((l) => l[lever.lever]))} (${live.name})` : ''}, this run ${own}`;
  const same = live.did === 0 && live.same
    ? `Live ${lever.noneByLive} in this window, so ${record.policy} equals live (${live.name}): what ${record.policy} turns off did not happen here. A longer or busier window shows the difference.`
    : null;
  return { counts, same };
}
