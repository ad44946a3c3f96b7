// `npm run bench:taskqueue [-- --messages 50000]`: one workload against the embedded broker (a
// child process running src/main.ts with fsync on) and, when RABBITMQ_URL is set, against
// RabbitMQ in the same run. Persistent messages of 1 KiB and 200 B to a durable queue, publisher
// confirms in windows of 1,000, one consumer with prefetch 200 acking each message. Prints
// msgs/s, p50/p99 publish-to-deliver latency and the broker's peak RSS, and the ratios.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { Command } from 'commander';

const opts = new Command()
  .option('--messages <n>', 'messages per size and broker', (v) => Number(v), 50_000)
  .option('--window <n>', 'publisher confirm window', (v) => Number(v), 1000)
  .option('--prefetch <n>', 'consumer prefetch', (v) => Number(v), 200)
  .option('--embedded-url <url>', 'use an already running embedded broker (profiling) instead of a child')
  .parse()
  .opts<{ messages: number; window: number; prefetch: number; embeddedUrl?: string }>();

const SIZES = [1024, 200];
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Result {
  broker: string;
  size: number;
  msgsPerSec: number;
  p50: number;
  p99: number;
  rssMiB: number;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function beamPid(): number | null {
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes('beam.smp') && cmd.includes('rabbit')) return Number(d);
    } catch {
      // process gone
    }
  }
  return null;
}

async function startEmbedded(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--no-http', '--data-dir', dataDir, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: path.dirname(MAIN),
  });
  // main.ts logs the bound port at info; run it at warn and learn the port from a probe instead
  child.stdout!.resume();
  const port = await new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (child.exitCode !== null) return reject(new Error('embedded broker exited'));
      const ports = listeningPorts(child.pid!);
      if (ports.length > 0) return resolve(ports[0]!);
      if (Date.now() - started > 30_000) return reject(new Error('embedded broker did not start'));
      setTimeout(tick, 100);
    };
    tick();
  });
  return { child, url: `amqp://guest:guest@127.0.0.1:${port}` };
}

/** TCP ports a process listens on, from /proc (no extra tools needed) */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m) inodes.add(m[1]!);
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // LISTEN
      if (inodes.has(cols[9]!)) ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runWorkload(broker: string, url: string, pid: number, size: number): Promise<Result> {
  const queue = `bench-${process.pid}-${size}-${Date.now()}`;
  const pubConn = await amqp.connect(url);
  const subConn = await amqp.connect(url);
  const pub = await pubConn.createConfirmChannel();
  const sub = await subConn.createChannel();
  await pub.assertQueue(queue, { durable: true });
  await sub.prefetch(opts.prefetch);

  const n = opts.messages;
  const latencies = new Float64Array(n);
  let received = 0;
  let peakRss = rssOf(pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 100);
  const body = Buffer.alloc(size, 0x61);
  let done!: () => void;
  const allDelivered = new Promise<void>((r) => (done = r));
  await sub.consume(queue, (m) => {
    if (!m) return;
    const sent = m.content.readDoubleLE(0);
    latencies[received++] = performance.now() - sent;
    sub.ack(m);
    if (received === n) done();
  });

  const start = performance.now();
  for (let sent = 0; sent < n; ) {
    const end = Math.min(n, sent + opts.window);
    for (; sent < end; sent++) {
      body.writeDoubleLE(performance.now(), 0);
      pub.sendToQueue(queue, body, { persistent: true });
    }
    await pub.waitForConfirms();
  }
  await allDelivered;
  const elapsed = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssOf(pid));
  await pub.deleteQueue(queue);
  await pubConn.close();
  await subConn.close();
  latencies.sort();
  return { broker, size, msgsPerSec: n / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rssMiB: peakRss };
}

function fmt(r: Result): string {
  return `${r.broker.padEnd(9)} ${String(r.size).padStart(5)} B  ${r.msgsPerSec.toFixed(0).padStart(8)} msg/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  RSS ${r.rssMiB.toFixed(0).padStart(5)} MiB`;
}

async function main(): Promise<void> {
  console.log(
    `taskqueue bench: ${opts.messages} persistent messages per size, confirms in windows of ${opts.window}, one consumer prefetch ${opts.prefetch} acking each`,
  );
  const results: Result[] = [];
  if (opts.embeddedUrl) {
    for (const size of SIZES) console.log(fmt(await runWorkload('embedded', opts.embeddedUrl, -1, size)));
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-tq-bench-'));
  const embedded = await startEmbedded(dataDir);
  try {
    for (const size of SIZES) {
      const r = await runWorkload('embedded', embedded.url, embedded.child.pid!, size);
      results.push(r);
      console.log(fmt(r));
    }
  } finally {
    embedded.child.kill('SIGTERM');
    await new Promise((r) => embedded.child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const rabbitUrl = process.env.RABBITMQ_URL;
  if (rabbitUrl) {
    const pid = beamPid();
    if (pid === null) console.log('(RabbitMQ RSS unavailable: no beam.smp process visible in /proc)');
    for (const size of SIZES) {
      const r = await runWorkload('rabbitmq', rabbitUrl, pid ?? -1, size);
      results.push(r);
      console.log(fmt(r));
    }
    console.log('\nratio embedded / rabbitmq (throughput: higher is better; latency and RSS: lower is better)');
    for (const size of SIZES) {
      const e = results.find((r) => r.broker === 'embedded' && r.size === size)!;
      const q = results.find((r) => r.broker === 'rabbitmq' && r.size === size)!;
      console.log(
        `${String(size).padStart(5)} B  throughput x${(e.msgsPerSec / q.msgsPerSec).toFixed(2)}  p50 x${(e.p50 / q.p50).toFixed(2)}  p99 x${(e.p99 / q.p99).toFixed(2)}  RSS x${q.rssMiB > 0 ? (e.rssMiB / q.rssMiB).toFixed(2) : 'n/a'}`,
      );
    }
  } else {
    console.log('(set RABBITMQ_URL to compare with RabbitMQ in the same run)');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
