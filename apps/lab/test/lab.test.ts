import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { LAB_RUNS_TOPIC, LabCliLineSchema, topicForEvent, type LogEvent } from '@riderflow/contracts';
import { groupKind } from '@riderflow/service-kit';
import { dispatchConfig } from '@riderflow/dispatch/core';
import { publishRecorded, recordCityRun } from '../src/record-city.js';
import { rebuildWindow } from '../src/recorded-window.js';
import { recordedKpis, replayWindow } from '../src/lab-run.js';
import { DECISION_TOPIC, readRecorded, RECORDED_TOPICS } from '../src/lab-log.js';
import { resolvePolicy } from '../src/policies.js';
import { relativeDiff } from '../src/kpis.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const MIN = 60_000;
const START = Date.parse('2025-03-03T17:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function runLab(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['apps/lab/src/main.ts', ...args], { cwd: repo, env: { ...process.env, KAFKA_BROKERS: '' } });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** Every partition's end offset of every topic: a write anywhere shows here. */
async function offsets(kafka: Kafka): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: Record<string, string> = {};
    // lab.runs is the lab's own journal of finished runs (written unless --no-record): not live.
    for (const t of (await admin.listTopics()).filter((t) => t !== LAB_RUNS_TOPIC).sort()) for (const p of await admin.fetchTopicOffsets(t)) out[`${t}/${p.partition}`] = p.high;
    return out;
  } finally {
    await admin.disconnect();
  }
}

// Generous deadlines: each CLI test starts tsx processes, which on a loaded 2-core machine take tens of seconds.
describe('policy lab', () => {
  let dir: string;
  let log: StreamlogHandle;
  let kafka: Kafka;
  let recorded: LogEvent[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-lab-'));
    log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
    kafka = new Kafka({ clientId: 'lab-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
    // The "recorded day": the city with the live dispatch policy deciding, put on the live topics
    // with keys and timestamps as the simulator and dispatch write them.
    recorded = recordCityRun({ seed: 'lab-test', riders: 100, stores: 50, zones: 16, startMs: START, durationMs: 240 * MIN }, dispatchConfig());
    await publishRecorded(kafka, recorded);
  }, 300_000);
  afterAll(async () => {
    await log?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads back every recorded world event before --to from the log', async () => {
    const toMs = START + 90 * MIN;
    const read = await readRecorded(kafka, toMs, 'read-test');
    // its consumer group was the read's own: deleted when done, not left for the log page
    const admin = kafka.admin();
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
    await admin.disconnect();
    expect(groups).not.toContain('lab.read-test.reader');
    expect(groupKind('lab.read-test.reader')).toBe('job');
    const expected = recorded.filter((e) => e.ts < toMs && ([...RECORDED_TOPICS, DECISION_TOPIC] as string[]).includes(topicForEvent(e)));
    expect(read.length).toBe(expected.length);
    expect(new Set(read.map((e) => e.id)).size).toBe(new Set(expected.map((e) => e.id)).size);
  }, 300_000);

  it('fidelity: replaying a window with the live policy reproduces the recorded KPIs', async () => {
    // Three hours, not one: over a single hour of 100 riders the distance ridden differs between
    // two equally faithful runs by up to ~8 % from decision noise alone (16 seeds: 3 over 5 % with
    // the old 18 km/h planner, 2 with the world's model); over three hours it stays within ~4 %.
    const fromMs = START + 60 * MIN, toMs = START + 240 * MIN;
    const win = rebuildWindow(await readRecorded(kafka, toMs, 'fidelity'), fromMs, toMs);
    const rec = recordedKpis(win).total;
    const lab = replayWindow(win, resolvePolicy('live'), 'lab').kpis.total;
    const c2d = relativeDiff(rec.clickToDoorMeanMin, lab.clickToDoorMeanMin);
    console.log(`fidelity ${iso(fromMs)}–${iso(toMs)}: click-to-door mean recorded ${rec.clickToDoorMeanMin.toFixed(3)} lab ${lab.clickToDoorMeanMin.toFixed(3)} (${(100 * c2d).toFixed(2)} %), ` +
      `cancelled ${rec.cancelled} vs ${lab.cancelled}, delivered ${rec.delivered} vs ${lab.delivered}, distance ${rec.distanceKm.toFixed(1)} vs ${lab.distanceKm.toFixed(1)} km, utilisation ${rec.utilisation.toFixed(3)} vs ${lab.utilisation.toFixed(3)}`);
    expect(rec.delivered).toBeGreaterThan(30);
    expect(lab.created).toBe(rec.created);
    expect(Math.abs(c2d)).toBeLessThan(0.03);
    // within 10 %, or one order when so few were cancelled that one is more than 10 %
    expect(Math.abs(lab.cancelled - rec.cancelled)).toBeLessThanOrEqual(Math.max(1, 0.1 * rec.cancelled));
    expect(Math.abs(relativeDiff(rec.distanceKm, lab.distanceKm))).toBeLessThan(0.05);
  }, 300_000);

  it('determinism: the same window, policy and seed give the same events and KPIs', async () => {
    const fromMs = START + 30 * MIN, toMs = START + 75 * MIN;
    const win = rebuildWindow(await readRecorded(kafka, toMs, 'det'), fromMs, toMs);
    const a = replayWindow(win, resolvePolicy('no-preposition'), 's');
    const b = replayWindow(rebuildWindow(await readRecorded(kafka, toMs, 'det2'), fromMs, toMs), resolvePolicy('no-preposition'), 's');
    expect(a.events.length).toBeGreaterThan(1000);
    const digest = (evs: LogEvent[]) => createHash('sha256').update(JSON.stringify(evs)).digest('hex');
    expect(digest(b.events)).toBe(digest(a.events));
    expect(b.kpis).toEqual(a.kpis);
  }, 300_000);

  it('the CLI writes only lab.<run>.* topics (live offsets unchanged), prints the table, and cleans up', async () => {
    const before = await offsets(kafka);
    const res = await runLab(['--brokers', log.brokers, '--from', iso(START + 60 * MIN), '--to', iso(START + 90 * MIN), '--policy', 'no-bundling', '--set', 'commitSlackMin=2', '--run', 'cli1']);
    expect(res.err).not.toMatch(/lab: /);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/click-to-door mean \(min\)/);
    expect(res.out).toMatch(/hour 18:00Z/);
    expect(res.err).toMatch(/done in/);
    const after = await offsets(kafka);
    const live = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('lab.')));
    expect(live(after)).toEqual(live(before));
    const labTopics = Object.keys(after).filter((k) => k.startsWith('lab.cli1.'));
    expect(labTopics.some((k) => k.startsWith('lab.cli1.order.events/'))).toBe(true);
    expect(Object.entries(after).filter(([k]) => k.startsWith('lab.cli1.')).reduce((s, [, v]) => s + Number(v), 0)).toBeGreaterThan(1000);

    const clean = await runLab(['--brokers', log.brokers, '--cleanup', 'cli1']);
    expect(clean.code).toBe(0);
    expect(Object.keys(await offsets(kafka)).some((k) => k.startsWith('lab.cli1.'))).toBe(false);
  }, 300_000);

  it('the CLI replays with a rostering policy and several seeds, and shows what rostering did', async () => {
    const before = await offsets(kafka);
    const res = await runLab(['--brokers', log.brokers, '--from', iso(START + 60 * MIN), '--to', iso(START + 120 * MIN), '--rostering', 'oracle', '--seeds', '2', '--no-write']);
    expect(res.err).not.toMatch(/lab: /);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/rostering oracle \(forecast: the window's recorded orders\); seeds 2/);
    expect(res.out).toMatch(/rostering \(seed lab-1\): \d+ plans/);
    expect(res.out).toMatch(/rostering \(seed lab-2\): \d+ plans/);
    expect(res.out).toMatch(/click-to-door mean \(min\)/);
    expect(await offsets(kafka)).toEqual(before);
  }, 300_000);

  it('--json: started, progress and result lines (the contracts schema), and the run appended to lab.runs', async () => {
    const res = await runLab(['--json', '--no-write', '--brokers', log.brokers, '--from', iso(START + 60 * MIN), '--to', iso(START + 120 * MIN), '--policy', 'slow-rounds', '--run', 'json1']);
    expect(res.code, res.err).toBe(0);
    const lines = res.out.trim().split('\n').map((l) => LabCliLineSchema.parse(JSON.parse(l)));
    expect(lines[0]).toEqual({ type: 'started', runId: 'json1' });
    expect(lines.some((l) => l.type === 'progress' && l.phase === 'replay')).toBe(true);
    const last = lines.at(-1)!;
    if (last.type !== 'result') throw new Error(`last line is ${JSON.stringify(last)}`);
    expect(last.record).toMatchObject({ runId: 'json1', policy: 'slow-rounds', fromMs: START + 60 * MIN, toMs: START + 120 * MIN, seeds: ['lab'] });
    expect(last.record.recorded.hourly).toHaveLength(1);
    expect(last.record.lab[0]!.total.created).toBe(last.record.recorded.total.created);
    // The same record, read back from lab.runs.
    const consumer = kafka.consumer({ groupId: 'lab-runs-reader' });
    const seen: unknown[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: LAB_RUNS_TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(JSON.parse(message.value!.toString())); } });
    await expect.poll(() => seen.find((r) => (r as { runId: string }).runId === 'json1'), { timeout: 30_000 }).toEqual(last.record);
    await consumer.disconnect();
    // A refusal in --json mode is a line too.
    const bad = await runLab(['--json', '--brokers', log.brokers, '--from', iso(START), '--to', iso(START + 60 * MIN), '--policy', 'magic']);
    expect(bad.code).toBe(2);
    expect(LabCliLineSchema.parse(JSON.parse(bad.out.trim()))).toEqual({ type: 'error', exitCode: 2, message: expect.stringContaining('unknown policy "magic"') });
  }, 300_000);

  it('bad input gets one clear line and exit 2, before anything is read or written', async () => {
    const before = await offsets(kafka);
    for (const [args, msg] of [
      [['--from', 'yesterday', '--to', iso(START)], /--from "yesterday" is not a time/],
      [['--from', iso(START + 60 * MIN), '--to', iso(START)], /--to must be after --from/],
      [['--from', iso(START), '--to', iso(START + 60 * MIN), '--policy', 'magic'], /unknown policy "magic"/],
      [['--from', iso(START), '--to', iso(START + 60 * MIN), '--set', 'noSuchKnob=1'], /not a dispatch parameter/],
      [['--from', iso(START), '--to', iso(START + 60 * MIN), '--set', 'maxBundleSize=-2'], /maxBundleSize/],
      [['--from', iso(START), '--to', iso(START + 60 * MIN), '--rostering', 'psychic'], /unknown rostering policy "psychic"/],
      // Before the first recorded dispatch decision: the same rule and words as the Lab page (contracts).
      [['--from', iso(START - 60 * MIN), '--to', iso(START + 60 * MIN)], /Before 2025-03-03T17:\d\dZ the log holds statistical history, not dispatched operations .* Start at 2025-03-03T17:\d\dZ or later\./],
    ] as [string[], RegExp][]) {
      const res = await runLab(['--brokers', log.brokers, ...args]);
      expect(res.code, res.err).toBe(2);
      expect(res.err).toMatch(msg);
    }
    expect(await offsets(kafka)).toEqual(before);
  }, 300_000);
});

describe('a policy difference shows in the right direction', () => {
  it('bundling off at ×3 demand cancels more orders than the live policy (deterministic, so no flake)', () => {
    const start = Date.parse('2025-03-03T18:00:00Z');
    const rec = recordCityRun({ seed: 'lab-x3', riders: 40, stores: 15, zones: 9, startMs: start, durationMs: 90 * MIN, demandFactor: 3 }, dispatchConfig());
    const win = rebuildWindow(rec, start + 30 * MIN, start + 90 * MIN, 30 * MIN);
    const live = replayWindow(win, resolvePolicy('live'), 'x').kpis.total;
    const single = replayWindow(win, resolvePolicy('no-bundling'), 'x').kpis.total;
    console.log(`×3 demand: cancelled live ${live.cancelled}, no-bundling ${single.cancelled}; on time ${live.onTimeShare.toFixed(3)} vs ${single.onTimeShare.toFixed(3)}`);
    expect(live.created).toBeGreaterThan(60);
    expect(single.cancelled).toBeGreaterThan(live.cancelled);
  });
});

describe('a window the lab cannot replay gets a clear error', () => {
  const weather = (zoneId: string, ts: number): LogEvent => ({ type: 'weather.updated', v: 1, id: `${zoneId}:${ts}`, ts, zoneId, condition: 'clear', rainMmH: 0, demandFactor: 1, speedFactor: 1 });
  it('says what is wrong: an empty log, a window without orders, zones that are not the city\'s', () => {
    expect(() => rebuildWindow([], START, START + 60 * MIN)).toThrow(/no zones before --to/);
    expect(() => rebuildWindow([weather('z01', START)], START, START + 60 * MIN)).toThrow(/no order was placed/);
    expect(() => rebuildWindow([weather('north', START)], START, START + 60 * MIN)).toThrow(/not a city zone/);
    expect(() => rebuildWindow([weather('z01', START)], START, START)).toThrow(/--to must be after --from/);
  });
});
