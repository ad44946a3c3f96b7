import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { parseEvent, TOPIC, type LogEvent } from '@riderflow/contracts';
import { loadPlatformConfig } from '../src/platform-config.js';
import { platformServices } from '../src/services.js';
import type { ServiceSpec } from '../src/service-spec.js';

// A first `npm start`: the history, then the live simulator, with the arguments the platform gives
// them (a real streamlog, the simulator as its own process, the log read back with kafkajs). The
// history's last orders are in flight when it ends; nothing restarted, so the live run must finish
// them, not cancel them "because the simulator restarted". A later start still does (--resume).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SIM_START = '2025-03-03T12:00:00Z';

function runService(spec: ServiceSpec, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', spec.script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${spec.name} exited ${code}:\n${out}`))));
  });
}

async function orderEvents(brokers: string): Promise<LogEvent[]> {
  const kafka = new Kafka({ clientId: 'first-start-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const total = (await admin.fetchTopicOffsets(TOPIC.orderEvents)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `first-start-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const seen: LogEvent[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC.orderEvents], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { const p = parseEvent(message.value!); if (p.ok) seen.push(p.event); } });
    const deadline = Date.now() + 60_000;
    while (seen.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await consumer.disconnect();
  }
  expect(seen.length).toBe(total);
  return seen;
}

/** Orders with a lifecycle event before `t` and neither delivered nor cancelled before it. */
function openBefore(events: LogEvent[], t: number): Set<string> {
  const open = new Set<string>();
  const closed = new Set<string>();
  for (const e of events) {
    if (e.ts >= t || !('orderId' in e)) continue;
    if (e.type === 'order.delivered' || e.type === 'order.cancelled') { closed.add(e.orderId); open.delete(e.orderId); } else if (!closed.has(e.orderId)) open.add(e.orderId);
  }
  return open;
}

describe('a first start: the live simulator takes over the history it starts after', () => {
  let dir: string;
  let log: StreamlogHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-first-start-'));
    log = await startStreamlog({ port: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
  });
  afterAll(async () => {
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the orders the history left in flight (none cancelled for a restart); a later start still cancels with --resume', async () => {
    const config = loadPlatformConfig({ DATA_DIR: dir, KAFKA_BROKERS: log.brokers, SIM_RIDERS: '40', SIM_DEMAND: '3', SIM_HISTORY_DAYS: '1', SIM_START });
    const { specs, env } = platformServices(config);
    const byName = Object.fromEntries(specs.map((s) => [s.name, s]));
    const { history, simulator } = byName;

    expect(await history.skipIf!()).toBe(false);
    await runService(history, history.args ?? [], env);
    const launch = await simulator.launchArgs!();
    const liveStart = Date.parse(launch[launch.indexOf('--start') + 1]);
    expect(Math.abs(liveStart - Date.parse(SIM_START))).toBeLessThan(5 * 60_000);
    const inFlight = openBefore(await orderEvents(log.brokers), liveStart);
    expect(inFlight.size).toBeGreaterThan(5); // lunchtime: the history ends with orders at every stage

    // The live run, as the platform starts it, without a dispatcher (its own new orders time out)
    // and for one simulated hour: far longer than any order in flight takes.
    const out = await runService(simulator, [...(simulator.args ?? []), ...launch, '--no-amqp', '--speed', 'max', '--duration', '1h', '--quiet'], env);
    const after = await orderEvents(log.brokers);
    const restartCancels = after.filter((e) => e.type === 'order.cancelled' && e.reason === 'simulator_restart').map((e) => 'orderId' in e && e.orderId);
    expect(restartCancels, out).toEqual([]);
    const endings = new Map<string, string[]>();
    for (const e of after) {
      if (!('orderId' in e) || !inFlight.has(e.orderId) || (e.type !== 'order.delivered' && e.type !== 'order.cancelled')) continue;
      endings.set(e.orderId, [...(endings.get(e.orderId) ?? []), e.type === 'order.cancelled' ? `cancelled: ${e.reason}` : 'delivered']);
    }
    // Each ends once; delivered, unless its customer cancelled (as customers do).
    expect([...inFlight].filter((id) => endings.get(id)?.length !== 1)).toEqual([]);
    expect([...endings.values()].flat().filter((how) => how !== 'delivered' && how !== 'cancelled: customer')).toEqual([]);

    // A later start (Ctrl-C, then npm start again) is a true restart: it closes what was left in flight.
    const again = await simulator.launchArgs!();
    expect(again).toContain('--resume');
    expect(again).not.toContain('--take-over');
  }, 240_000);
});
