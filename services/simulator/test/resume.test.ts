import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import type { LogEvent } from '@riderflow/contracts';
import { readOrderEventsSince } from '../src/adapters/open-orders-reader.js';
import { buildProgram, resolveOptions } from '../src/cli/options.js';
import { runSimulation } from '../src/run.js';

// A stop and a resumed start of the simulator on one log (a real streamlog, read back with
// kafkajs): every order the first run left in flight is closed by the second, with the reason.

const FIRST_START = '2025-03-03T11:00:00Z';

async function run(brokers: string, args: string[]): Promise<string[]> {
  const program = buildProgram({}).exitOverride();
  program.parse(['--brokers', brokers, '--riders', '40', '--stores', '15', '--zones', '9', '--seed', 'resume-test', '--quiet', '--speed', 'max', ...args], { from: 'user' });
  const lines: string[] = [];
  await runSimulation(resolveOptions(program), { info: (l) => lines.push(l), progress: () => {} });
  return lines;
}

/** Every order event on the log, read back from the start to the end it has now (the resumed start's own reader). */
async function orderEvents(brokers: string): Promise<LogEvent[]> {
  const kafka = new Kafka({ clientId: 'resume-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const read = await readOrderEventsSince(kafka, 0);
  expect(read.events.length).toBe(read.records);
  return read.events;
}

/** Orders with a lifecycle event before `t` and no delivery or cancellation before it, with the furthest stage reached. */
function openBefore(events: LogEvent[], t: number): Map<string, string> {
  const open = new Map<string, string>();
  const order = ['order.created', 'order.ready', 'order.assigned', 'order.picked_up'];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ts >= t || !('orderId' in e)) continue;
    if (e.type === 'order.delivered' || e.type === 'order.cancelled') { open.set(e.orderId, 'closed'); continue; }
    const prev = open.get(e.orderId);
    if (prev === 'closed') continue;
    if (prev === undefined || order.indexOf(e.type) > order.indexOf(prev)) open.set(e.orderId, e.type);
  }
  for (const [id, s] of open) if (s === 'closed') open.delete(id);
  return open;
}

describe('a resumed start closes the orders an earlier run left in flight', () => {
  let dir: string;
  let log: StreamlogHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-resume-'));
    log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
  });
  afterAll(async () => {
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cancels each with reason simulator_restart at the resumed start, and nothing else', async () => {
    // The first run serves orders itself (--history: a rider takes each order, no dispatcher
    // needed), so when it stops at lunchtime orders are in flight at every stage. It stops in
    // the middle of a simulated minute, as a Ctrl-C does.
    await run(log.brokers, ['--history', '--start', FIRST_START, '--duration', '7230s']);
    const before = await orderEvents(log.brokers);
    const newest = Math.max(...before.map((e) => e.ts));
    const resumeAt = newest + 1_000; // as the platform's sim-resume does
    const stranded = openBefore(before, resumeAt);
    const stages = new Set(stranded.values());
    expect(stranded.size).toBeGreaterThan(5);
    expect(stages.has('order.picked_up') || stages.has('order.assigned')).toBe(true); // riders had them
    expect(stages.has('order.created') || stages.has('order.ready')).toBe(true); // nobody had them yet

    // The resumed start: a live run (no dispatcher: its own new orders time out) for a simulated hour.
    const lines = await run(log.brokers, ['--no-amqp', '--resume', '--start', new Date(resumeAt).toISOString(), '--duration', '1h']);
    expect(lines.some((l) => l.includes(`continuing the log: ${stranded.size} orders an earlier run`))).toBe(true);

    const after = await orderEvents(log.brokers);
    const closing = new Map<string, LogEvent[]>();
    for (const e of after) {
      if (e.ts < resumeAt || !('orderId' in e) || !stranded.has(e.orderId)) continue;
      closing.set(e.orderId, [...(closing.get(e.orderId) ?? []), e]);
    }
    const unresolved = [...stranded.keys()].filter((id) => !closing.has(id));
    expect(unresolved).toEqual([]);
    for (const [id, es] of closing) {
      // exactly one event each: the cancellation, at the resumed start, saying why
      expect(es, id).toHaveLength(1);
      expect(es[0]).toMatchObject({ type: 'order.cancelled', orderId: id, reason: 'simulator_restart', ts: resumeAt });
    }
    // Orders the first run closed itself are left alone.
    const cancelledForRestart = after.filter((e) => e.type === 'order.cancelled' && e.reason === 'simulator_restart');
    expect(cancelledForRestart.length).toBe(stranded.size);
    // A new order never takes the id of one the first run placed (the resumed clock starts mid-minute).
    const createdCount = new Map<string, number>();
    for (const e of after) if (e.type === 'order.created') createdCount.set(e.orderId, (createdCount.get(e.orderId) ?? 0) + 1);
    const createdTwice = [...createdCount].filter(([, n]) => n > 1).map(([id]) => id);
    expect(createdTwice).toEqual([]);
    // Nothing is open for ever: after the second run, no order from before the restart is open.
    expect(openBefore(after, Infinity).size === 0 || [...openBefore(after, Infinity).keys()].every((id) => !stranded.has(id))).toBe(true);
  }, 240_000);
});
