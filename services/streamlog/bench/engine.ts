// In-process storage-engine benchmark: appends pre-encoded record batches (as a Produce request
// hands them over) and reports records/s and MB/s of record payload for 100 B and 1 KiB values,
// with durability 'none' and 'fsync' (several concurrent appenders sharing group-committed fsyncs).
// Run: npx tsx services/streamlog/bench/engine.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeRecordBatch, type RecordInput } from '../src/records/index.js';
import { openLogEngine, type Durability, type LogRecord } from '../src/storage/index.js';

export interface EngineBenchResult {
  name: string;
  recordsPerSec: number;
  mbPerSec: number;
  /** per append call (one batch), when the row measures appends */
  p50LatencyMs?: number;
  p99LatencyMs?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

interface Case {
  valueBytes: number;
  recordsPerBatch: number;
  totalRecords: number;
  durability: Durability;
  /** appenders awaiting their own appends at once (group commit shares fsyncs among them) */
  concurrency: number;
  /** encode records with append() on every call instead of appending a pre-encoded batch */
  encodeEachTime?: boolean;
  /** after appending, also time reading everything back in 1 MiB fetches */
  readBack?: boolean;
}

function makeBatch(valueBytes: number, count: number): Buffer {
  const now = Date.now();
  const records: RecordInput[] = [];
  for (let i = 0; i < count; i++) {
    records.push({ key: Buffer.from(`rider-${i % 500}`), value: Buffer.alloc(valueBytes, 97 + (i % 26)), timestamp: now + i });
  }
  return encodeRecordBatch(records);
}

function makeRecords(valueBytes: number, count: number): LogRecord[] {
  const now = BigInt(Date.now());
  return Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`rider-${i % 500}`), value: Buffer.alloc(valueBytes, 97 + (i % 26)), timestamp: now + BigInt(i) }));
}

async function runCase(c: Case): Promise<EngineBenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-bench-engine-'));
  const engine = await openLogEngine({ dataDir: dir });
  try {
    await engine.createTopic('bench', { partitions: 1, retentionMs: -1 });
    const log = engine.partition('bench', 0)!;
    // one buffer per appender: the engine rewrites baseOffset in place, the CRC stays valid
    const batches = Array.from({ length: c.concurrency }, () => makeBatch(c.valueBytes, c.recordsPerBatch));
    const plain = c.encodeEachTime ? makeRecords(c.valueBytes, c.recordsPerBatch) : [];
    const appendsTotal = Math.ceil(c.totalRecords / c.recordsPerBatch);
    let issued = 0;
    const latenciesMs: number[] = [];
    const started = process.hrtime.bigint();
    await Promise.all(
      batches.map(async (batch) => {
        while (issued < appendsTotal) {
          issued++;
          const t0 = process.hrtime.bigint();
          if (c.encodeEachTime) await log.append(plain, c.durability);
          else await log.appendBatches(batch, c.durability);
          latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const records = appendsTotal * c.recordsPerBatch;
    if (log.highWatermark !== BigInt(records)) throw new Error(`expected ${records} records, log has ${log.highWatermark}`);
    const how = c.encodeEachTime ? 'append(records) incl. encoding' : 'appendBatches';
    const results: EngineBenchResult[] = [
      {
        name: `engine ${how}, ${c.valueBytes} B records, durability=${c.durability}, ${c.concurrency} appender${c.concurrency > 1 ? 's' : ''}`,
        recordsPerSec: records / seconds,
        mbPerSec: (records * c.valueBytes) / seconds / 1e6,
        p50LatencyMs: percentile(latenciesMs.sort((a, b) => a - b), 50),
        p99LatencyMs: percentile(latenciesMs, 99),
      },
    ];
    if (c.readBack) {
      const readStart = process.hrtime.bigint();
      let offset = 0n;
      let bytes = 0;
      while (offset < log.highWatermark) {
        const { data } = log.read(offset, 1 << 20);
        bytes += data.length;
        // next fetch starts after the last whole batch returned
        let p = 0;
        let last = 0;
        while (p < data.length) {
          last = p;
          p += 12 + data.readInt32BE(p + 8);
        }
        offset = data.readBigInt64BE(last) + BigInt(data.readInt32BE(last + 23) + 1);
      }
      const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
      if (bytes < records * c.valueBytes) throw new Error('read back less than was written');
      results.push({
        name: `engine read (1 MiB fetches), ${c.valueBytes} B records`,
        recordsPerSec: records / readSeconds,
        mbPerSec: (records * c.valueBytes) / readSeconds / 1e6,
      });
    }
    return results;
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchEngine(): Promise<EngineBenchResult[]> {
  // batches of 1,000 records, as a producer sending batches of 1,000 would hand them over
  const cases: Case[] = [
    { valueBytes: 100, recordsPerBatch: 1000, totalRecords: 2_000_000, durability: 'none', concurrency: 1, readBack: true },
    { valueBytes: 100, recordsPerBatch: 1000, totalRecords: 1_000_000, durability: 'fsync', concurrency: 1 },
    { valueBytes: 100, recordsPerBatch: 1000, totalRecords: 2_000_000, durability: 'fsync', concurrency: 8 },
    { valueBytes: 100, recordsPerBatch: 1000, totalRecords: 1_000_000, durability: 'none', concurrency: 1, encodeEachTime: true },
    { valueBytes: 1024, recordsPerBatch: 1000, totalRecords: 300_000, durability: 'none', concurrency: 1, readBack: true },
    { valueBytes: 1024, recordsPerBatch: 1000, totalRecords: 300_000, durability: 'fsync', concurrency: 8 },
  ];
  const results: EngineBenchResult[] = [];
  for (const c of cases) results.push(...(await runCase(c)));
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchEngine();
  console.log(`payload MB/s counts record values only; batches of 1,000 records; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  for (const r of results) {
    const latency = r.p50LatencyMs === undefined ? '' : `   append p50 ${r.p50LatencyMs.toFixed(2)} ms p99 ${r.p99LatencyMs!.toFixed(2)} ms`;
    console.log(`${r.name.padEnd(82)} ${Math.round(r.recordsPerSec).toLocaleString('en-US').padStart(12)} records/s ${r.mbPerSec.toFixed(1).padStart(8)} MB/s${latency}`);
  }
}
