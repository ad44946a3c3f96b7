// npm run bench:simulator — sustained events/s from the simulator into a streamlog running in its
// own process (as in `npm start`), with 10,000 riders. Prints numbers; asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildProgram, resolveOptions } from '../src/cli/options.js';
import { runSimulation } from '../src/run.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 5_000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 20_000);
const RIDERS = process.env.BENCH_RIDERS ?? '10000';

async function startLogProcess(dataDir: string): Promise<{ child: ChildProcess; brokers: string }> {
  const child = spawn(path.join(repo, 'node_modules/.bin/tsx'), ['services/streamlog/src/main.ts', '--port', '0', '--data-dir', dataDir, '--no-fsync', '--log-level', 'info'], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const brokers = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('streamlog did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`streamlog exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { brokers?: string };
        if (msg.brokers) { clearTimeout(timer); resolve(msg.brokers); }
      } catch { /* not JSON */ }
    });
  });
  return { child, brokers };
}

async function measure(label: string, args: string[], brokers: string): Promise<void> {
  const program = buildProgram({}).exitOverride();
  program.parse([...args, '--brokers', brokers, '--no-amqp', '--riders', RIDERS], { from: 'user' });
  const options = resolveOptions(program);
  const controller = new AbortController();
  let generated = 0;
  const samples: { at: number; generated: number }[] = [];
  const started = Date.now();
  let cpuAtWarm: NodeJS.CpuUsage | null = null;
  const timer = setInterval(() => {
    samples.push({ at: Date.now(), generated });
    if (!cpuAtWarm && Date.now() - started >= WARMUP_MS) cpuAtWarm = process.cpuUsage();
    if (Date.now() - started >= WARMUP_MS + WINDOW_MS) controller.abort();
  }, 250);
  const tuning = { batchSize: Number(process.env.BENCH_BATCH ?? 0) || undefined, lanes: Number(process.env.BENCH_LANES ?? 0) || undefined };
  let lastVerdict = '';
  const summary = await runSimulation(options, { info: () => {}, progress: (line) => { if (!line.startsWith('done')) lastVerdict = line.split(' | ')[2] ?? ''; }, signal: controller.signal, onEvents: (e) => { generated += e.length; } }, tuning);
  const cpu = process.cpuUsage(cpuAtWarm ?? undefined);
  clearInterval(timer);
  const from = samples.find((s) => s.at - started >= WARMUP_MS) ?? samples[0];
  const to = samples.at(-1)!;
  const sustained = ((to.generated - from.generated) * 1000) / Math.max(1, to.at - from.at);
  const overall = (summary.eventsSent * 1000) / summary.wallMs;
  const simMinutes = (summary.simEndMs - summary.simStartMs) / 60_000;
  console.log(
    `${label.padEnd(34)} sustained ${Math.round(sustained).toLocaleString('en-US').padStart(7)} ev/s (after ${WARMUP_MS / 1000}s warm-up, over ${((to.at - from.at) / 1000).toFixed(1)}s)` +
      ` | overall ${Math.round(overall).toLocaleString('en-US')} ev/s acked | ${summary.eventsSent.toLocaleString('en-US')} events | ${simMinutes.toFixed(1)} simulated min in ${(summary.wallMs / 1000).toFixed(1)}s` +
      ` | last verdict: ${lastVerdict}` +
      ` | simulator CPU ${((cpu.user + cpu.system) / Math.max(1, to.generated - from.generated)).toFixed(1)} µs/event after warm-up`,
  );
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-bench-sim-'));
  const { child, brokers } = await startLogProcess(dir);
  try {
    console.log(`simulator → streamlog (separate process, --no-fsync) at ${brokers}; ${RIDERS} riders; ${os.cpus().length} CPUs`);
    await measure('--speed max (lunch, 12:00)', ['--speed', 'max', '--start', '2025-03-03T12:00:00Z'], brokers);
    if (process.env.BENCH_ONLY_MAX) return;
    await measure('--rate 20000 (target)', ['--rate', '20000', '--start', '2025-03-03T12:00:00Z'], brokers);
    await measure('--speed 10 (19:00, x10 real time)', ['--speed', '10', '--start', '2025-03-03T19:00:00Z'], brokers);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
