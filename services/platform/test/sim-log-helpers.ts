import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { parseEvent, TOPIC, type LogEvent } from '@riderflow/contracts';
import { readTopicSpan } from '@riderflow/service-kit';
import type { ServiceSpec } from '../src/service-spec.js';

// Shared by the hand-over tests (a first start, a graceful restart): a platform service run as its
// own process with the platform's arguments, and the order events read back from the real log.

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Starts a service's script as the supervisor would (tsx), collecting its output. */
export function spawnService(spec: ServiceSpec, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  return { child, output: () => out, exited };
}

/** Runs a service to its end; rejects with its output unless it exits 0. */
export async function runService(spec: ServiceSpec, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const run = spawnService(spec, args, env);
  const code = await run.exited;
  if (code !== 0) throw new Error(`${spec.name} exited ${code}:\n${run.output()}`);
  return run.output();
}

/** How many records order.events holds now. */
export async function orderEventCount(brokers: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'handover-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(TOPIC.orderEvents)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every order event on the log, read back to the end it has now (service-kit's span reader). */
export async function orderEvents(brokers: string): Promise<LogEvent[]> {
  const kafka = new Kafka({ clientId: 'handover-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const seen: LogEvent[] = [];
  const total = await readTopicSpan(kafka, TOPIC.orderEvents, (m) => {
    const p = parseEvent(m.value!);
    if (p.ok) seen.push(p.event);
  }, { label: 'handover-test' });
  expect(seen.length).toBe(total);
  return seen;
}

/** Orders with a lifecycle event before `t` and neither delivered nor cancelled before it. */
export function openBefore(events: LogEvent[], t: number): Set<string> {
  const open = new Set<string>();
  const closed = new Set<string>();
  for (const e of events) {
    if (e.ts >= t || !('orderId' in e)) continue;
    if (e.type === 'order.delivered' || e.type === 'order.cancelled') { closed.add(e.orderId); open.delete(e.orderId); } else if (!closed.has(e.orderId)) open.add(e.orderId);
  }
  return open;
}

/** How each of `orders` ended on the log: 'delivered' or 'cancelled: <reason>', in log order. */
export function endingsOf(events: LogEvent[], orders: Set<string>): Map<string, string[]> {
  const endings = new Map<string, string[]>();
  for (const e of events) {
    if (!('orderId' in e) || !orders.has(e.orderId) || (e.type !== 'order.delivered' && e.type !== 'order.cancelled')) continue;
    endings.set(e.orderId, [...(endings.get(e.orderId) ?? []), e.type === 'order.cancelled' ? `cancelled: ${e.reason}` : 'delivered']);
  }
  return endings;
}

/** Orders cancelled with reason simulator_restart. */
export function restartCancels(events: LogEvent[]): string[] {
  return events.filter((e) => e.type === 'order.cancelled' && e.reason === 'simulator_restart').map((e) => ('orderId' in e ? e.orderId : '?'));
}
