import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Platform, TOPICS, alive, fetchJson, freePorts, root, until, watchLog, type Seen } from './harness.js';

// The whole platform as `npm start` runs it (same entry point, same supervisor), on a temp data
// dir and free ports, with a fast simulated run: the flow end to end, a Ctrl-C that stops
// everything quickly with nothing lost, and a second start that resumes from the same data.

const SIM_TOPICS = ['rider.location', 'rider.shifts', 'order.events', 'weather.updates'];
const STOP_LIMIT_MS = 10_000;
const SIM_START = '2025-03-03T12:00:00Z';

interface Frame { simTime: number; riders: unknown[] }

async function highOffsets(kafka: Kafka, topics: string[]): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of topics) out[t] = (await admin.fetchTopicOffsets(t)).reduce((s, o) => s + Number(o.high), 0);
    return out;
  } finally {
    await admin.disconnect();
  }
}

async function committed(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return t.partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('npm start: the whole platform', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let kafka: Kafka;
  let dashboardUrl: string;
  let streamlogPort: number;
  const platforms: Platform[] = [];
  let watcher: { consumer: Consumer; seen: Seen } | null = null;

  // Facts carried from one step to the next.
  let lastSimTimeBeforeStop = 0;
  let sentBySimulator: Record<string, number> = {};
  let afterStop: { offsets: Record<string, number>; dispatchCommitted: number } | null = null;

  const start = () => {
    const p = new Platform(env);
    platforms.push(p);
    return p;
  };
  const failWith = (p: Platform) => (err: unknown) => {
    throw new Error(`${(err as Error).message}\n--- platform output (last lines) ---\n${p.tail()}`);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rf-smoke-'));
    const [sl, tq, tqHttp, web, dispatch, notifier, rostering, projector, slHttp] = await freePorts(9);
    streamlogPort = sl;
    env = {
      ...process.env,
      DATA_DIR: dataDir,
      STREAMLOG_PORT: String(sl),
      STREAMLOG_HTTP_PORT: String(slHttp),
      TASKQUEUE_PORT: String(tq),
      TASKQUEUE_HTTP_PORT: String(tqHttp),
      PORT: String(web),
      DISPATCH_HTTP_PORT: String(dispatch),
      NOTIFIER_HTTP_PORT: String(notifier),
      ROSTERING_HTTP_PORT: String(rostering),
      PROJECTOR_HTTP_PORT: String(projector),
      // A short, fast run: a 15-minute roster bucket every ~7 wall seconds, lunch-peak demand.
      SIM_SPEED: '120',
      SIM_RIDERS: '60',
      SIM_DEMAND: '3',
      SIM_START,
    };
    // The user's own settings must not leak in and point the services elsewhere.
    for (const k of ['KAFKA_BROKERS', 'AMQP_URL', 'AMQP_MANAGEMENT_URL', 'DATABASE_URL', 'MODELS_DIR']) delete env[k];
    dashboardUrl = `http://127.0.0.1:${web}`;
    kafka = new Kafka({ clientId: 'smoke', brokers: [`127.0.0.1:${sl}`], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  });

  afterAll(async () => {
    await watcher?.consumer.disconnect().catch(() => {});
    for (const p of platforms) {
      if (p.running) {
        p.child.kill('SIGINT');
        const done = await Promise.race([p.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
        if (!done) p.child.kill('SIGKILL');
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('boots every service and prints the dashboard URL', async () => {
    const p = start();
    // The first start on a checkout builds the dashboard pages (tens of seconds on a busy machine).
    await until('the dashboard URL', () => alive(p) && p.line(/dashboard: (http:\/\/\S+)/), 170_000).catch(failWith(p));
    expect(p.line(/dashboard: (http:\/\/\S+)/)![1]).toBe(dashboardUrl);
    expect(p.line(/WARNING: .* is not available/)).toBeNull();
    // First start: a few simulated days of history right before SIM_START, a model trained on
    // them, and the live simulator picking up the clock where the history ends.
    expect(p.line(/history done in/), p.tail()).not.toBeNull();
    expect(p.line(/train done in/), p.tail()).not.toBeNull();
    // The start line says so: the clock starts where the history just written ends (nothing is "continued").
    expect(p.line(/simulator: continuing the simulated clock/), p.tail()).toBeNull();
    const liveStart = Date.parse(p.line(/simulator: simulated clock starts at (\S+), where the \d+ simulated days? of history just written end/)![1]);
    expect(Math.abs(liveStart - Date.parse(SIM_START))).toBeLessThan(5 * 60_000);
    // "Ready" is riders of the live simulation: the dashboard reads the log from its start, so it
    // may have shown the history's riders, which must not count.
    const at = (match: RegExp) => p.lines.findIndex((l) => match.test(l));
    expect(at(/dashboard ready in [\d.]+ s/), p.tail()).toBeGreaterThan(at(/simulator: simulated clock starts at/));
  }, 180_000);

  it('flows end to end: every topic, assignments, deliveries, roster plans, a live dashboard', async () => {
    const p = platforms[0];
    watcher = await watchLog(kafka);
    const { seen } = watcher;
    const flowing = TOPICS.filter((t) => t !== 'notification.results');
    await until(
      `events on ${flowing.join(', ')}, orders assigned and delivered`,
      () => flowing.every((t) => (seen.byTopic.get(t) ?? 0) > 0) && (seen.byType.get('order.assigned') ?? 0) > 0 && (seen.byType.get('order.delivered') ?? 0) > 0,
      90_000,
    ).catch((err: Error) => failWith(p)(new Error(`${err.message}; seen ${JSON.stringify(Object.fromEntries(seen.byTopic))}`)));
    expect(seen.byType.get('dispatch.assigned')).toBeGreaterThan(0);
    expect(seen.byType.get('roster.plan')).toBeGreaterThan(0);
    // Rostering plans with the model trained at first start, not a baseline.
    expect([...seen.planModels].filter((v) => !v.startsWith('baseline:')), `plan models ${[...seen.planModels].join(', ')}`).not.toEqual([]);
    expect(seen.byType.get('(not json)')).toBeUndefined();

    // The dashboard serves live data: riders on the map and a simulated clock that moves.
    const first = await until('riders on the dashboard', async () => {
      const f = await fetchJson<Frame>(`${dashboardUrl}/api/frame`);
      return f.riders.length > 0 && f.simTime > 0 ? f : null;
    }, 30_000);
    const later = await until('the dashboard clock to move', async () => {
      const f = await fetchJson<Frame>(`${dashboardUrl}/api/frame`);
      return f.simTime > first.simTime ? f : null;
    }, 30_000);
    expect(later.simTime).toBeGreaterThan(first.simTime);
    const page = await fetch(dashboardUrl, { signal: AbortSignal.timeout(10_000) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Riderflow');

    // The platform measures what a user waits for, riders on the map, and says so. Recorded here
    // (the pages were built by the tests' global setup, so this is a fresh data dir, not a fresh clone).
    const ready = await until('"dashboard ready in N s"', () => p.line(/dashboard ready in ([\d.]+) s: riders on the map at (\S+)/), 30_000).catch(failWith(p));
    expect(ready[2]).toBe(dashboardUrl);
    console.log(`smoke: fresh data dir: riders on the map ${ready[1]} s after npm start`);
    expect(p.lines.filter((l) => /dashboard ready/.test(l)), p.tail()).toEqual([expect.stringMatching(/dashboard ready in [\d.]+ s: riders on the map/)]);
  }, 150_000);

  it('sends notifications: order facts become notification tasks, results with status sent on the log', async () => {
    const { seen } = watcher!;
    await until(
      'notification results with status sent',
      () => (seen.notificationStatus.get('sent') ?? 0) > 0,
      60_000,
    ).catch((err: Error) => failWith(platforms[0])(new Error(`${err.message}; statuses ${JSON.stringify(Object.fromEntries(seen.notificationStatus))}`)));
  }, 70_000);

  it('npm run demo: every step shows its evidence, with counts that add up, and ends with a summary', async () => {
    const demo = spawn(process.execPath, ['--import', 'tsx', 'services/platform/src/demo.ts', '--yes'], {
      cwd: root,
      // Only the port settings `npm start` got: the demo works its broker URLs out from them, as npm start does.
      env: { ...env, KAFKA_BROKERS: undefined, AMQP_URL: undefined, AMQP_MANAGEMENT_URL: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    demo.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    demo.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => demo.once('exit', resolve));
    expect(code, out).toBe(0);
    // step 1: as many group lines as the groups it counts
    const groupLines = out.match(/✓ group \S+: lag \d+/g) ?? [];
    const counted = Number(/these (\d+) groups read the same \d+ records/.exec(out)?.[1]);
    expect(groupLines.length, out).toBe(counted);
    expect(counted).toBeGreaterThanOrEqual(2);
    // step 2: what it read after the restart is what it missed plus what was written since
    const after = /(\d+) events read from its committed offsets: the (\d+) it had missed, then (\d+) written since/.exec(out);
    expect(after, out).not.toBeNull();
    expect(Number(after![2]) + Number(after![3])).toBe(Number(after![1]));
    const lag = Number(/while stopped: (\d+) new events were written/.exec(out)?.[1]);
    expect(Number(after![2])).toBe(Math.min(lag, Number(after![1])));
    // step 6: the dead letter's reason fits on one line
    const reason = /✓ reason: (.*)/.exec(out)?.[1] ?? '';
    expect(reason.length, reason).toBeGreaterThan(0);
    expect(reason.length, reason).toBeLessThanOrEqual(160);
    // step 7: the committed reader's count is the committed records alone, the uncommitted one's both
    const committedView = /read_committed reader \(.*?\): (\d+) records = (\d+) committed \+ (\d+) aborted/.exec(out);
    const uncommittedView = /read_uncommitted reader: (\d+) records = (\d+) committed \+ (\d+) aborted/.exec(out);
    expect(committedView, out).not.toBeNull();
    expect(uncommittedView, out).not.toBeNull();
    expect(Number(committedView![3])).toBe(0);
    expect(Number(committedView![1])).toBe(Number(committedView![2]));
    expect(Number(uncommittedView![1])).toBe(Number(uncommittedView![2]) + Number(uncommittedView![3]));
    expect(Number(uncommittedView![3])).toBeGreaterThan(0);
    // and dispatch's rider state is a compacted topic
    expect(out).toMatch(/dispatch\.rider-state .* has cleanup\.policy=compact/);
    // every step deleted its short-lived consumer groups when it ended
    const admin = kafka.admin();
    await admin.connect();
    const left = (await admin.listGroups().finally(() => admin.disconnect())).groups.map((g) => g.groupId).filter((g) => g.startsWith('walkthrough-'));
    expect(left).toEqual([]);
    // the summary names a flow for every step, and the final count matches the steps run
    const summary = out.slice(out.indexOf('Summary:'));
    expect(summary.match(/^ {2}[✓✗] \d\. .+ — .*(topic|queue)/gm), out).toHaveLength(7);
    expect(out).toContain('All 7 steps showed their evidence.');
    console.log(`smoke: demo output\n${out}`);
  }, 180_000);

  it('stamps every record with simulated time, so the dashboard clock and KPIs stay in simulated time', () => {
    const { seen } = watcher!;
    // The simulator's pings are the simulated "now"; nothing may run ahead of it by more than a
    // few simulated minutes (a wall-clock stamp would be years ahead).
    const simNow = seen.newestTs.get('rider.location') ?? 0;
    expect(simNow).toBeGreaterThan(Date.parse('2025-03-03T12:00:00Z'));
    const ahead = [...seen.newestTs].filter(([, ts]) => ts > simNow + 3_600_000).map(([topic, ts]) => `${topic} at ${new Date(ts).toISOString()}`);
    expect(ahead, `records stamped after the simulated now ${new Date(simNow).toISOString()}`).toEqual([]);
  });

  it('stops everything on SIGINT within 10 s, with every simulated event on the log', async () => {
    const p = platforms[0];
    // The simulated now: the newest ping (the simulator's own clock, whatever other services stamp).
    lastSimTimeBeforeStop = watcher!.seen.newestTs.get('rider.location') ?? 0;
    await watcher!.consumer.disconnect();
    watcher = null;

    const t0 = Date.now();
    p.child.kill('SIGINT');
    const code = await Promise.race([p.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    const stopMs = Date.now() - t0;
    console.log(`smoke: SIGINT stop took ${stopMs} ms`);
    if (code === 'timeout') failWith(p)(new Error('platform still running 20 s after SIGINT'));
    expect(code).toBe(0);
    expect(stopMs, p.tail(30)).toBeLessThan(STOP_LIMIT_MS);
    expect(p.line(/did not stop within/), p.tail(30)).toBeNull();

    // The simulator's own count of what it sent, printed as it stopped.
    // The simulator's own counts of what it sent (the history step and the live run), printed as each stopped.
    const sentLines = p.lines.map((l) => /^(history|simulator)\s*\| sent \d+ events in .*?: (.*)$/.exec(l)).filter((m) => m !== null);
    expect(sentLines.map((m) => m[1]).sort(), p.tail(30)).toEqual(['history', 'simulator']);
    sentBySimulator = {};
    for (const m of sentLines) {
      for (const part of m[2].split(', ')) {
        const [topic, n] = part.trim().split(' ');
        sentBySimulator[topic] = (sentBySimulator[topic] ?? 0) + Number(n);
      }
    }

    // Open the stopped log on its own: everything the simulator sent is there.
    const log = spawn(process.execPath, ['--import', 'tsx', 'services/streamlog/src/main.ts', '--port', String(streamlogPort), '--data-dir', path.join(dataDir, 'streamlog')], { cwd: root, stdio: 'ignore' });
    try {
      const offsets = await until('the log alone', () => highOffsets(kafka, [...SIM_TOPICS, 'dispatch.assignments', 'roster.plans']), 30_000);
      for (const t of SIM_TOPICS) expect(offsets[t], `${t}: the simulator sent ${sentBySimulator[t]}`).toBeGreaterThanOrEqual(sentBySimulator[t] ?? 1);
      afterStop = { offsets, dispatchCommitted: await committed(kafka, 'dispatch', 'order.events') };
      expect(afterStop.dispatchCommitted).toBeGreaterThan(0);
    } finally {
      log.kill('SIGTERM');
      await new Promise((r) => log.once('exit', r));
    }
  }, 90_000);

  it('resumes from the same data dir: offsets kept, the simulated clock continues', async () => {
    expect(afterStop).not.toBeNull();
    const p = start();
    const resumed = await until('the simulator to resume', () => alive(p) && p.line(/continuing the simulated clock at (\S+)/), 120_000).catch(failWith(p));
    const resumedAt = Date.parse(resumed[1]);
    expect(p.line(/history skipped: the log already has simulated time/), p.tail()).not.toBeNull();
    expect(p.line(/train skipped: a forecasting model is already trained/), p.tail()).not.toBeNull();
    expect(lastSimTimeBeforeStop).toBeGreaterThan(0);
    expect(resumedAt).toBeGreaterThanOrEqual(lastSimTimeBeforeStop);
    await until('the dashboard URL', () => p.line(/dashboard: http/), 60_000).catch(failWith(p));

    // Topics keep their offsets and grow from there; the dispatcher's group kept its position.
    const grown = await until('new events after the old ones', async () => {
      const now = await highOffsets(kafka, SIM_TOPICS);
      return now['order.events'] > afterStop!.offsets['order.events'] && now['rider.location'] > afterStop!.offsets['rider.location'] ? now : null;
    }, 60_000).catch(failWith(p));
    for (const t of SIM_TOPICS) expect(grown[t]).toBeGreaterThanOrEqual(afterStop!.offsets[t]);
    expect(await committed(kafka, 'dispatch', 'order.events')).toBeGreaterThanOrEqual(afterStop!.dispatchCommitted);

    const ready = await until('"dashboard ready in N s"', () => p.line(/dashboard ready in ([\d.]+) s: riders on the map/), 60_000).catch(failWith(p));
    console.log(`smoke: resumed data dir: riders on the map ${ready[1]} s after npm start`);
    // One readiness line, and it means riders on the map (the dashboard process once said "dashboard ready" ~20 s earlier).
    expect(p.lines.filter((l) => /dashboard ready/.test(l)), p.tail()).toEqual([expect.stringMatching(/dashboard ready in [\d.]+ s: riders on the map/)]);

    // The dashboard shows the continued clock, not the default start again.
    await until('the dashboard clock past the resume point', async () => (await fetchJson<Frame>(`${dashboardUrl}/api/frame`)).simTime > resumedAt, 45_000).catch(failWith(p));

    const t0 = Date.now();
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
    expect(Date.now() - t0, p.tail(30)).toBeLessThan(STOP_LIMIT_MS);
  }, 180_000);
});
