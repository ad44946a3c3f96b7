import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { encodeRecordBatch } from '../../src/records/index.js';
import { openLogEngine, type LogEngine, type LogRecord } from '../../src/storage/index.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rf-streamlog-storage-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `count` records whose values say which batch and index they came from */
export function records(count: number, tag: string, timestamp = 1_000n, valueBytes = 0): LogRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: Buffer.from(`${tag}-k${i}`),
    value: Buffer.from(`${tag}-${i}`.padEnd(valueBytes, '.')),
    timestamp: timestamp + BigInt(i),
  }));
}

export function batchOf(count: number, tag: string, timestamp = 1_000n, valueBytes = 0): Buffer {
  return encodeRecordBatch(records(count, tag, timestamp, valueBytes));
}

export function partitionFiles(dataDir: string, topic: string, partition: number): string[] {
  return fs.readdirSync(path.join(dataDir, `${topic}-${partition}`)).sort();
}

/** A fresh engine in a fresh directory for each test, closed and removed after it; tests may reopen `t.engine`. */
export function useEngine(): { dir: string; engine: LogEngine } {
  const t = {} as { dir: string; engine: LogEngine };
  beforeEach(async () => {
    t.dir = tempDir();
    t.engine = await openLogEngine({ dataDir: t.dir });
  });
  afterEach(async () => {
    await t.engine.close();
    removeDir(t.dir);
  });
  return t;
}
