import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { labChildrenOf } from './lab-children.js';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { dispatchConfig } from '@riderflow/dispatch/core';
import { publishRecorded, recordCityRun } from '@riderflow/lab/record-city';
import { LabRunner, type LabRunInput } from '../server/adapters/lab-runner.js';
import { HumanError } from '../server/core/human-error.js';

// While a lab run is going, a request with bad knobs (`--set`) is refused as bad input naming the
// knob (400), not as "busy" (409); a valid request is busy, and told which run is going. The run
// is a real lab CLI on a real log, held running by SIGSTOP so the order of the answers does not
// depend on the machine's speed.

const MIN = 60_000;
const START = Date.parse('2025-03-03T17:00:00Z');

let dir: string;
let log: StreamlogHandle;

/** The lab CLI processes this test process started (the runner's children). */
const labChildren = () => labChildrenOf(process.pid);

/** The answer a start gets, as the HTTP route would send it. */
async function answer(p: Promise<unknown>): Promise<{ status: number; error: string }> {
  try {
    await p;
    return { status: 200, error: '' };
  } catch (err) {
    if (err instanceof HumanError) return { status: err.status, error: err.message };
    throw err;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rf-lab-busy-'));
  log = await startStreamlog({ port: 0, httpPort: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
  const kafka = new Kafka({ clientId: 'lab-busy-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  await publishRecorded(kafka, recordCityRun({ seed: 'lab-busy', riders: 20, stores: 10, zones: 4, startMs: START, durationMs: 90 * MIN }, dispatchConfig()));
}, 120_000);

afterAll(async () => {
  await log?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the lab runner while a run is going', () => {
  it('refuses bad knobs with their own words before it answers busy', async () => {
    const runner = new LabRunner(log.brokers);
    const input: LabRunInput = { fromMs: START + 30 * MIN, toMs: START + 90 * MIN, policy: 'live', rostering: 'off', sets: [], seeds: 1 };
    await runner.start(input);
    const [child] = labChildren();
    expect(child).toBeDefined();
    process.kill(child!, 'SIGSTOP'); // the run stays in progress until released
    try {
      const [unknown, outOfRange] = await Promise.all([
        answer(runner.start({ ...input, sets: ['noSuchKnob=1'] })),
        answer(runner.start({ ...input, sets: ['maxBundleSize=0'] })),
      ]);
      expect(unknown).toEqual({ status: 400, error: expect.stringContaining('--set noSuchKnob: not a dispatch parameter') });
      expect(outOfRange).toEqual({ status: 400, error: expect.stringContaining('maxBundleSize') });
      // Valid knobs, and none: busy, naming the run that is going (its id, what it replays, when it started).
      const going = runner.current()!;
      expect(going.runId).toMatch(/^live-/);
      const busy = `A lab run is in progress: ${going.runId} (policy live, rostering off, window 2025-03-03 17:30 – 2025-03-03 18:30, 1 seed), started ${new Date(going.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC; wait for it to finish.`;
      expect(await answer(runner.start({ ...input, sets: ['maxBundleSize=2'] }))).toEqual({ status: 409, error: busy });
      expect(await answer(runner.start({ ...input, policy: 'no-bundling' }))).toEqual({ status: 409, error: busy });
      // The checks left no process behind, and the run is the one that was going.
      expect(labChildren()).toEqual([child]);
      expect(runner.current()).toMatchObject({ state: 'running' });
    } finally {
      process.kill(child!, 'SIGCONT');
      await runner.stop();
    }
    expect(labChildren()).toEqual([]);
  }, 180_000);
});
