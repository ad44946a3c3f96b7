// In-process storage-engine benchmark: appends pre-encoded record batches (as a Produce request
// hands them over) and reports records/s and MB/s of record payload for 100 B and 1 KiB values,
// with durability 'none' and 'fsync' (several concurrent appenders sharing group-committed fsyncs).
// Run: npx tsx services/streamlog/bench/engine.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeRecordBatch, type RecordInput } from '../src/records/index.js';
import { openLogEngine, type Durability } from '../src/storage/index.js';

export interface EngineBenchResult {
  name: string;
  recordsPerSec: number;
  mbPerSec: number;
}

interface Case {
  valueBytes: number;
  recordsPerBatch: number;
  totalRecords: number;
  durability: Durability;
  /** appenders awaiting their own appends at once (group commit shares fsyncs among them) */
  concurrency: number;
}

function makeBatch(valueBytes: number, count: number): Buffer {
  const now = Date.now();
  const records: RecordInput[] = [];
  for (let i = 0; i < count; i++) {
    records.push({ key: Buffer.from(`rider-${i % 500}`), value: Buffer.alloc(valueBytes, 97 + (i % 26)), timestamp: now + i });
  }
  return encodeRecordBatch(records);
}

async function runCase(c: Case): Promise<EngineBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-bench-engine-'));
  const engine = await openLogEngine({ dataDir: dir });
  try {
    await engine.createTopic('bench', { partitions: 1, retentionMs: -1 });
    const log = engine.partition('bench', 0)!;
    // one buffer per appender: the engine rewrites baseOffset in place, the CRC stays valid
    const batches = Array.from({ length: c.concurrency }, () => makeBatch(c.valueBytes, c.recordsPerBatch));
    const appendsTotal = Math.ceil(c.totalRecords / c.recordsPerBatch);
    let issued = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      batches.map(async (batch) => {
        while (issued < appendsTotal) {
          issued++;
          await log.appendBatches(batch, c.durability);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const records = appendsTotal * c.recordsPerBatch;
    if (log.highWatermark !== BigInt(records)) throw new Error(`expected ${records} records, log has ${log.highWatermark}`);
    return {
      name: `engine append ${c.valueBytes} B records, durability=${c.durability}${c.concurrency > 1 ? `, ${c.concurrency} appenders` : ''}`,
      recordsPerSec: records / seconds,
      mbPerSec: (records * c.valueBytes) / seconds / 1e6,
    };
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchEngine(): Promise<EngineBenchResult[]> {
  const cases: Case[] = [
    { valueBytes: 100, recordsPerBatch: 1000, totalRecords: 2_000_000, durability: 'none', concurrency: 1 },
    { valueBytes: 100, recordsPerBatch: 1000, totalRecords: 2_000_000, durability: 'fsync', concurrency: 8 },
    { valueBytes: 1024, recordsPerBatch: 200, totalRecords: 300_000, durability: 'none', concurrency: 1 },
    { valueBytes: 1024, recordsPerBatch: 200, totalRecords: 300_000, durability: 'fsync', concurrency: 8 },
  ];
  const results: EngineBenchResult[] = [];
  for (const c of cases) results.push(await runCase(c));
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchEngine();
  for (const r of results) {
    console.log(`${r.name.padEnd(60)} ${Math.round(r.recordsPerSec).toLocaleString('en-US').padStart(12)} records/s ${r.mbPerSec.toFixed(1).padStart(8)} MB/s`);
  }
}
