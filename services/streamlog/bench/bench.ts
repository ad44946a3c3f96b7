// streamlog benchmark: `npm run bench:streamlog`
//  1. the in-process storage engine (./engine.ts, 100 B and 1 KiB records)
//  2. a kafkajs producer against a streamlog in a child process, acks=1 and acks=-1, batches of 1,000
//  3. a kafkajs transactional producer (one batch per transaction, committed), BENCH_TX_RECORDS records
//     and the same with librdkafka's transactional producer (python3-confluent-kafka, when installed)
//  4. a kafkajs consumer catching up on everything produced (1M records by default)
// Broker CPU and peak RSS come from the child's /metrics (its own process), client CPU from
// process.cpuUsage() here. Sizes: BENCH_RECORDS (per producer run, default 500000), BENCH_VALUE_BYTES (100).
//
// Before/after on a loaded machine: `npm run bench:streamlog -- --compare <other checkout>` runs only
// the kafkajs rows (2-4), alternately against the other checkout's broker and this one's,
// BENCH_ROUNDS times each (default 3), then prints per row the median and the range of throughput
// and of broker CPU per record (the CPU figure is the one load disturbs least). The other checkout
// needs its own node_modules (a symlink to this one's will do). `--broker-main <main.ts>` runs the
// kafkajs rows once against that broker; `--json` prints the rows as JSON lines.
// Every kafkajs row also prints the broker's user/system CPU split; `--syscalls` adds its syscalls per
// 1,000 records (strace attached for the row) and `--gc` its JS-heap allocation and GCs per 1,000
// records (--trace-gc-nvp): counts that load does not move (./probes.ts). With --compare they are passed
// on and their medians printed too. strace slows the broker, so its throughput rows mean little then.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, CompressionTypes } from 'kafkajs';
import { formatFigures, phaseProbes, probedLaunch, type PhaseFigures } from './probes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const argOf = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const ownMain = path.resolve(here, '../src/main.ts');
const mainScript = path.resolve(argOf('--broker-main') ?? ownMain);
const JSON_ROWS = argv.includes('--json');
const PROBE_FLAGS = ['--syscalls', '--gc'].filter((f) => argv.includes(f));
const PROBE_OPTS = { syscalls: argv.includes('--syscalls'), gc: argv.includes('--gc') };
const RECORDS = Number(process.env.BENCH_RECORDS ?? 500_000);
const VALUE_BYTES = Number(process.env.BENCH_VALUE_BYTES ?? 100);
const BATCH = 1_000;
/** records written by the transactional producer (default a fifth of BENCH_RECORDS) */
const TX_RECORDS = Number(process.env.BENCH_TX_RECORDS ?? Math.ceil(RECORDS / 5));
const IN_FLIGHT = 4;

interface Row {
  name: string;
  records: number;
  seconds: number;
  bytes: number;
  p50?: number;
  p99?: number;
  brokerCpuUsPerRecord?: number;
  clientCpuUsPerRecord?: number;
  brokerPeakRssMb?: number;
  figures?: PhaseFigures;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function print(row: Row): void {
  if (JSON_ROWS) return console.log(JSON.stringify(row));
  const parts = [
    row.name.padEnd(44),
    `${fmt(row.records / row.seconds).padStart(10)} records/s`,
    `${fmt(row.bytes / row.seconds / 1e6, 1).padStart(7)} MB/s`,
  ];
  if (row.p50 !== undefined) parts.push(`p50 ${fmt(row.p50, 1)} ms`, `p99 ${fmt(row.p99!, 1)} ms`);
  if (row.brokerCpuUsPerRecord !== undefined) parts.push(`broker CPU ${fmt(row.brokerCpuUsPerRecord, 2)} µs/rec`, `client CPU ${fmt(row.clientCpuUsPerRecord!, 2)} µs/rec`);
  if (row.brokerPeakRssMb !== undefined) parts.push(`broker peak RSS ${fmt(row.brokerPeakRssMb)} MB`);
  console.log(parts.join('  '));
  if (row.figures) console.log(`${''.padEnd(44)}broker ${formatFigures(row.figures)}`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

type Probes = ReturnType<typeof phaseProbes>;

async function startBroker(dataDir: string): Promise<{ child: ChildProcess; brokers: string; httpPort: number; probes: Probes }> {
  const launch = probedLaunch(PROBE_OPTS.gc);
  const child = spawn(launch.launcher[0], [...launch.launcher.slice(1), ...launch.nodeArgs, mainScript, '--port', '0', '--http-port', '0', '--data-dir', dataDir, '--log-level', 'info'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rl = readline.createInterface({ input: child.stdout! });
  const probes = phaseProbes(child, rl, PROBE_OPTS);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
    rl.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { msg?: string; brokers?: string; httpPort?: number };
        if (msg.msg === 'ready' && msg.brokers && msg.httpPort) resolve({ child, brokers: msg.brokers, httpPort: msg.httpPort, probes });
      } catch {
        // not a log line
      }
    });
  });
}

async function brokerStats(httpPort: number): Promise<{ cpuSeconds: number; peakRssBytes: number }> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const metric = (name: string) => Number(text.match(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm'))?.[1] ?? NaN);
  return { cpuSeconds: metric('streamlog_process_cpu_seconds_total'), peakRssBytes: metric('streamlog_process_peak_rss_bytes') };
}

const clientCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function benchEngineRows(): Promise<void> {
  let mod: { benchEngine?: () => Promise<{ name: string; recordsPerSec: number; mbPerSec: number; p50LatencyMs?: number; p99LatencyMs?: number }[]> };
  try {
    mod = await import('./engine.js');
  } catch (err) {
    console.log(`(in-process engine benchmark skipped: ${(err as Error).message})`);
    return;
  }
  if (!mod.benchEngine) return console.log('(in-process engine benchmark skipped: no benchEngine export)');
  console.log('\n# in-process storage engine (batches of 1,000; MB/s counts record values)');
  for (const r of await mod.benchEngine()) {
    const latency = r.p50LatencyMs !== undefined ? `  p50 ${fmt(r.p50LatencyMs, 2)} ms  p99 ${fmt(r.p99LatencyMs!, 2)} ms` : '';
    console.log(`${r.name.padEnd(82)} ${fmt(r.recordsPerSec).padStart(10)} records/s ${fmt(r.mbPerSec, 1).padStart(7)} MB/s${latency}`);
  }
  console.log(`engine bench process peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
}

/**
 * A transactional kafkajs producer: each transaction sends one batch of 1,000 records and commits
 * (AddPartitionsToTxn, Produce, EndTxn with its commit marker), one transaction at a time as a
 * read-process-write loop would. Written to its own topic so the catch-up consumer is unaffected.
 */
async function benchTransactions(kafka: Kafka, httpPort: number, probes: Probes, messages: { key: string; value: Buffer }[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'bench-tx', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer({ transactionalId: 'bench-tx', idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const transactions = Math.ceil(TX_RECORDS / BATCH);
  if (!JSON_ROWS) console.log(`\n# kafkajs transactional producer, ${fmt(transactions)} transactions of ${fmt(BATCH)} records (send + commit each, acks=-1, one at a time)`);
  const latencies: number[] = [];
  const b0 = await brokerStats(httpPort);
  const probe = await probes.start();
  const c0 = clientCpuSeconds();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < transactions; i++) {
    const s = process.hrtime.bigint();
    const tx = await producer.transaction();
    await tx.send({ topic: 'bench-tx', acks: -1, compression: CompressionTypes.None, messages });
    await tx.commit();
    latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = clientCpuSeconds();
  const records = transactions * BATCH;
  const figures = await probe.stop(records);
  const b1 = await brokerStats(httpPort);
  latencies.sort((a, b) => a - b);
  await producer.disconnect();
  print({
    name: 'produce in transactions (latency per txn)',
    records,
    seconds,
    bytes: records * VALUE_BYTES,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    brokerCpuUsPerRecord: ((b1.cpuSeconds - b0.cpuSeconds) * 1e6) / records,
    clientCpuUsPerRecord: ((c1 - c0) * 1e6) / records,
    brokerPeakRssMb: b1.peakRssBytes / 1e6,
    figures,
  });
}

/** Debian's Python with confluent-kafka (librdkafka), as the tests use it; the row is skipped without it */
const PYTHON = '/usr/bin/python3';

/**
 * librdkafka's transactional producer, driven by ./librdkafka_transactions.py against the same
 * broker: the same transactions as the kafkajs row (BENCH_TX_RECORDS records in transactions of
 * 1,000), so the two clients' figures can be read side by side. Client CPU is the Python process's.
 */
async function benchLibrdkafkaTransactions(brokers: string, httpPort: number): Promise<void> {
  const transactions = Math.ceil(TX_RECORDS / BATCH);
  const b0 = await brokerStats(httpPort);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(here, 'librdkafka_transactions.py'), brokers, 'bench-tx-librdkafka', String(transactions), String(BATCH), String(VALUE_BYTES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(stderr.trim().split('\n').pop() ?? `exit ${code}`))));
  });
  const b1 = await brokerStats(httpPort);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { records: number; seconds: number; p50: number; p99: number; cpuSeconds: number };
  if (!JSON_ROWS) console.log(`\n# librdkafka (confluent-kafka) transactional producer, ${fmt(transactions)} transactions of ${fmt(BATCH)} records (produce + commit each, one at a time)`);
  print({
    name: 'librdkafka produce in transactions (per txn)',
    records: r.records,
    seconds: r.seconds,
    bytes: r.records * VALUE_BYTES,
    p50: r.p50,
    p99: r.p99,
    brokerCpuUsPerRecord: ((b1.cpuSeconds - b0.cpuSeconds) * 1e6) / r.records,
    clientCpuUsPerRecord: (r.cpuSeconds * 1e6) / r.records,
    brokerPeakRssMb: b1.peakRssBytes / 1e6,
  });
}

async function benchKafkajs(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-bench-streamlog-'));
  const broker = await startBroker(dataDir);
  try {
    const kafka = new Kafka({ clientId: 'bench', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench', numPartitions: 1 }] });
    await admin.disconnect();
    const value = Buffer.alloc(VALUE_BYTES, 'x');
    const messages = Array.from({ length: BATCH }, (_, i) => ({ key: `rider-${i % 500}`, value }));
    const producer = kafka.producer();
    await producer.connect();
    if (!JSON_ROWS) console.log(`\n# kafkajs producer -> streamlog (child process), ${fmt(RECORDS)} records of ${VALUE_BYTES} B, batches of ${fmt(BATCH)}, ${IN_FLIGHT} sends in flight`);
    for (const acks of [1, -1]) {
      const sends = Math.ceil(RECORDS / BATCH);
      const latencies: number[] = [];
      const b0 = await brokerStats(broker.httpPort);
      const probe = await broker.probes.start();
      const c0 = clientCpuSeconds();
      const t0 = process.hrtime.bigint();
      let issued = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (issued < sends) {
            issued++;
            const s = process.hrtime.bigint();
            await producer.send({ topic: 'bench', acks, compression: CompressionTypes.None, messages });
            latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const c1 = clientCpuSeconds();
      const records = sends * BATCH;
      const figures = await probe.stop(records);
      const b1 = await brokerStats(broker.httpPort);
      latencies.sort((a, b) => a - b);
      print({
        name: `produce acks=${acks}${acks === -1 ? ' (fsync)' : ''}`,
        records,
        seconds,
        bytes: records * VALUE_BYTES,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        brokerCpuUsPerRecord: ((b1.cpuSeconds - b0.cpuSeconds) * 1e6) / records,
        clientCpuUsPerRecord: ((c1 - c0) * 1e6) / records,
        brokerPeakRssMb: b1.peakRssBytes / 1e6,
        figures,
      });
    }
    await producer.disconnect();
    try {
      await benchTransactions(kafka, broker.httpPort, broker.probes, messages);
    } catch (err) {
      // a broker from before transactions (--compare with an old checkout) has no such row
      if (!JSON_ROWS) console.log(`(transactional producer skipped: ${(err as Error).message})`);
    }
    try {
      await benchLibrdkafkaTransactions(broker.brokers, broker.httpPort);
    } catch (err) {
      // no python3-confluent-kafka here, or a broker from before transactions
      if (!JSON_ROWS) console.log(`(librdkafka transactional producer skipped: ${(err as Error).message})`);
    }

    const total = Math.ceil(RECORDS / BATCH) * BATCH * 2;
    if (!JSON_ROWS) console.log(`\n# kafkajs consumer catching up on ${fmt(total)} records`);
    const consumer = kafka.consumer({ groupId: 'bench-catch-up', maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 10 * 1024 * 1024 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'bench', fromBeginning: true });
    const b0 = await brokerStats(broker.httpPort);
    const probe = await broker.probes.start();
    const c0 = clientCpuSeconds();
    const t0 = process.hrtime.bigint();
    let consumed = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({
        autoCommitInterval: 1000,
        eachBatch: async ({ batch }) => {
          consumed += batch.messages.length;
          if (consumed >= total) resolve();
        },
      });
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const c1 = clientCpuSeconds();
    const figures = await probe.stop(consumed);
    const b1 = await brokerStats(broker.httpPort);
    await consumer.disconnect();
    print({
      name: 'consume (catch-up, one consumer)',
      records: consumed,
      seconds,
      bytes: consumed * VALUE_BYTES,
      brokerCpuUsPerRecord: ((b1.cpuSeconds - b0.cpuSeconds) * 1e6) / consumed,
      clientCpuUsPerRecord: ((c1 - c0) * 1e6) / consumed,
      brokerPeakRssMb: b1.peakRssBytes / 1e6,
      figures,
    });
  } finally {
    broker.child.kill('SIGTERM');
    await new Promise((r) => broker.child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** one run of the kafkajs rows against `main` in a fresh bench process: its rows */
function runRows(main: string): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--broker-main', main, '--json', ...PROBE_FLAGS], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row)) : reject(new Error(`bench run against ${main} exited with ${code}`)),
    );
  });
}

/** alternate runs against the other checkout ("before") and this one ("after"), then medians and ranges */
async function compare(otherDir: string): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const sides = { before: path.resolve(otherDir, 'services/streamlog/src/main.ts'), after: ownMain };
  if (!fs.existsSync(sides.before)) throw new Error(`no streamlog in ${otherDir} (looked for ${sides.before})`);
  const runs: Record<'before' | 'after', Row[][]> = { before: [], after: [] };
  for (let i = 0; i < rounds; i++) {
    for (const side of ['before', 'after'] as const) {
      const rows = await runRows(sides[side]);
      runs[side].push(rows);
      console.log(`round ${i + 1} ${side}: ${rows.map((r) => `${r.name} ${fmt(r.records / r.seconds)}/s ${fmt(r.brokerCpuUsPerRecord ?? NaN, 2)} µs`).join(' | ')}`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const stat = (xs: number[], digits: number) => `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
  console.log(`\n# median (min–max) of ${rounds} alternating runs each, BENCH_RECORDS=${RECORDS}; before = ${otherDir}`);
  for (const name of runs.after[0].map((r) => r.name)) {
    for (const side of ['before', 'after'] as const) {
      const rows = runs[side].map((rs) => rs.find((r) => r.name === name)).filter((r): r is Row => r !== undefined);
      if (rows.length === 0) continue;
      console.log(`${name.padEnd(44)} ${side.padEnd(6)} ${stat(rows.map((r) => r.records / r.seconds), 0).padStart(26)} records/s   broker CPU ${stat(rows.map((r) => r.brokerCpuUsPerRecord ?? NaN), 2)} µs/rec`);
      const figs = rows.map((r) => r.figures).filter((f): f is PhaseFigures => f !== undefined);
      if (figs.length === 0) continue;
      const parts = [`user ${stat(figs.map((f) => f.userUsPerRecord), 2)}`, `sys ${stat(figs.map((f) => f.sysUsPerRecord), 2)} µs/rec`, `page faults/1k rec ${stat(figs.map((f) => f.minorFaultsPer1k), 1)}`];
      if (figs[0].syscallsPer1k) {
        const total = (f: PhaseFigures) => Object.values(f.syscallsPer1k ?? {}).reduce((a, c) => a + c, 0);
        const top = Object.keys(figs[0].syscallsPer1k).slice(0, 6);
        parts.push(`syscalls/1k rec ${stat(figs.map(total), 2)} [${top.map((n) => `${n} ${fmt(median(figs.map((f) => f.syscallsPer1k?.[n] ?? 0)), 2)}`).join(', ')}]`);
      }
      if (figs[0].heapKiBPer1k !== undefined) parts.push(`heap ${stat(figs.map((f) => f.heapKiBPer1k!), 1)} KiB/1k rec, GC pause ${stat(figs.map((f) => f.gcPauseMsPer1k!), 2)} ms/1k rec`);
      console.log(`${''.padEnd(51)} ${parts.join('  ')}`);
    }
  }
}

const compareDir = argOf('--compare');
if (compareDir) {
  await compare(compareDir);
} else {
  if (!JSON_ROWS) console.log(`streamlog benchmark — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`);
  if (!argOf('--broker-main')) await benchEngineRows();
  await benchKafkajs();
}
