import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka, Consumer } from 'kafkajs';

// What the smoke tests share: free ports, polling with deadlines, one `npm start` as a child
// process with its output kept, and a log watcher that counts what arrives on every topic.

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TOPICS = ['rider.location', 'rider.shifts', 'order.events', 'weather.updates', 'dispatch.assignments', 'roster.plans', 'notification.results'];

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** An error that ends a wait at once (the platform exited). */
export class Fatal extends Error {}

export async function until<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      if (err instanceof Fatal) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One `npm start`: the process, every prefixed line it printed, and a way to wait for its exit. */
export class Platform {
  readonly lines: string[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'services/platform/src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  line(match: RegExp): RegExpExecArray | null {
    for (const l of this.lines) {
      const m = match.exec(l);
      if (m) return m;
    }
    return null;
  }

  tail(n = 60): string {
    return this.lines.filter((l) => !l.includes('MaxListenersExceededWarning') && !l.includes('--trace-warnings')).slice(-n).join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

export function alive(p: Platform): true {
  if (!p.running) throw new Fatal(`the platform exited (code ${p.child.exitCode}, signal ${p.child.signalCode})`);
  return true;
}

export interface Seen {
  byTopic: Map<string, number>;
  /** newest record timestamp per topic */
  newestTs: Map<string, number>;
  byType: Map<string, number>;
  notificationStatus: Map<string, number>;
  /** modelVersion of every roster plan */
  planModels: Set<string>;
}

/** Reads every topic from the beginning in its own group and counts what arrives. */
export async function watchLog(kafka: Kafka): Promise<{ consumer: Consumer; seen: Seen }> {
  const seen: Seen = { byTopic: new Map(), newestTs: new Map(), byType: new Map(), notificationStatus: new Map(), planModels: new Set() };
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const consumer = kafka.consumer({ groupId: `smoke-${Date.now().toString(36)}`, maxWaitTimeInMs: 200, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: TOPICS, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, message }) => {
      inc(seen.byTopic, topic);
      seen.newestTs.set(topic, Math.max(seen.newestTs.get(topic) ?? 0, Number(message.timestamp)));
      try {
        const event = JSON.parse(message.value?.toString() ?? '{}') as { type?: string; status?: string; modelVersion?: string };
        if (event.type === 'roster.plan' && event.modelVersion) seen.planModels.add(event.modelVersion);
        if (event.type) inc(seen.byType, event.type);
        if (topic === 'notification.results' && event.status) inc(seen.notificationStatus, event.status);
      } catch {
        inc(seen.byType, '(not json)');
      }
    },
  });
  return { consumer, seen };
}

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
