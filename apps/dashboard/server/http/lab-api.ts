import { earliestLabStart, LAB_FIRST_DECISION_TOPIC, LAB_POLICY_NAMES, LAB_POLICY_ABOUT, LAB_ROSTERING_LABELS, LAB_ROSTERING_NAMES, labWindowStartRefusal } from '@riderflow/contracts';
import type { Gateway } from '../gateway.js';
import type { LabRunner } from '../adapters/lab-runner.js';
import type { LabRunsLog } from '../adapters/lab-runs-log.js';
import { HumanError } from '../core/human-error.js';
import { oneOf, simTime, wholeNumber } from '../core/human-input.js';
import { fmtSimTime } from '../core/sim-time.js';
import type { Router } from './router.js';

// The Lab page's API: start a policy-lab run (an admin action), follow it, list past runs.

const HOUR = 3_600_000;
const MAX_WINDOW_MS = 24 * HOUR;

/** The newest recorded order: the lab replays orders, so a window after it has nothing to replay. */
async function newestRecorded(gateway: Gateway): Promise<number | null> {
  try {
    return await gateway.logAdmin.newestTimestamp('order.events');
  } catch {
    return null; // no such topic yet
  }
}

function sets(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 10) throw new HumanError(400, 'Parameters must be a list of at most 10 key=value settings');
  return value.map((s) => {
    if (typeof s !== 'string' || !/^[A-Za-z][A-Za-z0-9]*=[^\s=]{1,40}$/.test(s.trim())) throw new HumanError(400, `Parameter ${JSON.stringify(s)} must read key=value (e.g. maxBundleSize=1)`);
    return s.trim();
  });
}

/**
 * The first recorded dispatch decision (contracts' labWindowStartRefusal says why a window may not
 * start before it; the CLI applies the same rule). Null when there is none.
 */
async function firstDecision(gateway: Gateway): Promise<number | null> {
  try {
    return await gateway.logAdmin.oldestTimestamp(LAB_FIRST_DECISION_TOPIC);
  } catch {
    return null;
  }
}

export function registerLabApi(router: Router, gateway: Gateway, lab: LabRunner, runs: LabRunsLog): void {
  router
    .get('/api/lab', async () => {
      const newest = await newestRecorded(gateway);
      // The last three recorded hours, whole minutes, but none before the first dispatch decision.
      const to = newest === null ? null : Math.floor(newest / 60_000) * 60_000;
      const first = await firstDecision(gateway);
      const from = to === null ? null : Math.max(to - 3 * HOUR, first === null ? -Infinity : earliestLabStart(first));
      return { policies: LAB_POLICY_NAMES.map((name) => ({ name, about: LAB_POLICY_ABOUT[name] })), rostering: LAB_ROSTERING_NAMES.map((name) => ({ name, ...LAB_ROSTERING_LABELS[name] })), current: lab.current(), defaults: to === null || from === null || from >= to ? null : { fromMs: from, toMs: to }, newestMs: newest };
    })
    .get('/api/lab/current', async () => ({ current: lab.current() }))
    .get('/api/lab/runs', async () => ({ runs: await runs.list() }))
    .post('/api/lab/runs', async (_req, _url, _p, body) => {
      const fromMs = simTime(body.from, 'Window start');
      const toMs = simTime(body.to, 'Window end');
      if (toMs <= fromMs) throw new HumanError(400, 'The window must end after it starts.');
      if (toMs - fromMs > MAX_WINDOW_MS) throw new HumanError(400, 'A window can be at most 24 hours long.');
      const policy = oneOf(body.policy, LAB_POLICY_NAMES, 'Policy');
      const rostering = body.rostering === undefined ? 'off' : oneOf(body.rostering, LAB_ROSTERING_NAMES, 'Rostering');
      const seeds = body.seeds === undefined ? 1 : wholeNumber(body.seeds, 'Seeds', { min: 1, max: 5 });
      const newest = await newestRecorded(gateway);
      if (newest === null) throw new HumanError(400, 'The log holds no recorded orders yet: there is nothing to replay.');
      if (fromMs >= newest) throw new HumanError(400, `The window starts after the newest recorded order (${fmtSimTime(newest, false)}): pick an earlier start.`);
      const refused = labWindowStartRefusal(fromMs, await firstDecision(gateway), (ms) => fmtSimTime(ms, false));
      if (refused !== null) throw new HumanError(400, refused);
      return lab.start({ fromMs, toMs, policy, rostering, sets: sets(body.sets), seeds });
    });
}
