import { describe, expect, it } from 'vitest';
import type { LabKpiReport, LabRunRecord } from '@riderflow/contracts';
import { leverNote } from '../lib/lab-same-arms.js';

// When the Lab page says that a policy equals live: only when the arms are identical AND live did
// none of what the policy turns off; the counts are shown either way.

const kpis = (c2d: number): LabKpiReport => ({ total: { created: 10, delivered: 9, cancelled: 1, clickToDoorMeanMin: c2d, clickToDoorP90Min: 30, onTimeShare: 0.9, utilisation: 0.4, distanceKm: 50 }, hourly: [] });
function run(runId: string, policy: string, lab: number, recordedBundled: number, labBundled: number, recorded = 20): LabRunRecord {
  return { runId, finishedAt: 0, fromMs: 0, toMs: 3_600_000, policy, sets: [], seeds: ['lab'], recorded: kpis(recorded), lab: [kpis(lab)], wallMs: 1, rostering: { policy: 'off', note: '', perSeed: [] }, levers: { recorded: { bundledOrders: recordedBundled, repositions: 3 }, lab: [{ bundledOrders: labBundled, repositions: 3 }] } };
}

describe('the Lab page’s note on identical arms', () => {
  it('says no-bundling equals live when a live run of the window is identical and bundled nothing', () => {
    const nb = run('nb', 'no-bundling', 21, 0, 0);
    const note = leverNote(nb, [nb, run('lv', 'live', 21, 0, 0)]);
    expect(note).toEqual({ counts: 'orders bundled in the window: live 0 (recorded), 0 (lab run lv), this run 0', same: 'Live bundled no orders in this window, so no-bundling equals live (lab run lv): what no-bundling turns off did not happen here. A longer or busier window shows the difference.' });
  });
  it('says nothing when live bundled, or the arms differ', () => {
    expect(leverNote(run('nb', 'no-bundling', 21, 4, 0), [run('lv', 'live', 21, 4, 4)])!.same).toBeNull();
    expect(leverNote(run('nb', 'no-bundling', 22, 0, 0), [run('lv', 'live', 21, 0, 0)])!.same).toBeNull();
  });
  it('compares with the recorded column when no live run of the window exists', () => {
    expect(leverNote(run('np', 'no-preposition', 20, 0, 0), [])).toMatchObject({ same: null }); // repositions: 3 in the recording
    const nb = run('nb', 'no-bundling', 20, 0, 0);
    expect(leverNote(nb, [])!.same).toMatch(/^Live bundled no orders in this window, so no-bundling equals live \(the recorded column\)/);
    expect(leverNote(run('x', 'slow-rounds', 20, 0, 0), [])).toBeNull();
  });
});
