import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_ATTRIBUTES,
  BATCH_OFFSET_LAST_OFFSET_DELTA,
  BATCH_OFFSET_LENGTH,
  CONTROL_FLAG,
  encodeRecordBatch,
  TRANSACTIONAL_FLAG,
} from '../../src/records/index.js';
import { isCommitMarker } from '../../src/storage/control-batch.js';
import { openLogEngine } from '../../src/storage/index.js';
import type { LogEngine, PartitionLog } from '../../src/storage/contract.js';
import type { PartitionLogImpl } from '../../src/storage/partition-log.js';
import { partitionFiles, removeDir, tempDir } from './helpers.js';

const KEYS = 10;
const VERSIONS = 20;

/** one record per append, so the tiny segments roll often */
async function put(log: PartitionLog, key: string, value: string | null): Promise<bigint> {
  return (await log.append([{ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), timestamp: 1_000n }])).baseOffset;
}

const compact = (log: PartitionLog, now: number) => (log as unknown as PartitionLogImpl).compact(now);
/** a transactional writer: one record per batch, sequences counted per producer */
function transactionalWriter(log: PartitionLog) {
  const sequences = new Map<bigint, number>();
  return async (producerId: bigint, key: string, value: string) => {
    const baseSequence = sequences.get(producerId) ?? 0;
    sequences.set(producerId, baseSequence + 1);
    const batch = encodeRecordBatch([{ key: Buffer.from(key), value: Buffer.from(value), timestamp: 1_000n }], { producerId, producerEpoch: 0, baseSequence, attributes: TRANSACTIONAL_FLAG });
    return (await log.appendBatches(batch, 'none')).baseOffset;
  };
}

/** the transaction markers left in the log, in order */
function markers(log: PartitionLog): string[] {
  const out: string[] = [];
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    const { data } = log.read(offset, 1 << 20);
    if (data.length === 0) break;
    for (let p = 0; p + BATCH_LOG_OVERHEAD <= data.length; p += BATCH_LOG_OVERHEAD + data.readInt32BE(p + BATCH_OFFSET_LENGTH)) {
      if (data.readInt16BE(p + BATCH_OFFSET_ATTRIBUTES) & CONTROL_FLAG) out.push(isCommitMarker(data, p) ? 'commit' : 'abort');
      offset = data.readBigInt64BE(p) + BigInt(data.readInt32BE(p + BATCH_OFFSET_LAST_OFFSET_DELTA)) + 1n;
    }
  }
  return out;
}

const all = (log: PartitionLog) => log.readRecords(log.logStartOffset, 1_000_000).map((r) => ({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null }));

describe('log compaction', () => {
  let dir = '';
  let engine: LogEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    if (dir) removeDir(dir);
  });

  it('keeps exactly the latest record per key at its original offset; tombstones stay for delete.retention.ms, then go', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('state', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 0.1, deleteRetentionMs: 3_600_000 });
    const log = engine.partition('state', 0)!;
    const latest = new Map<string, { offset: bigint; value: string | null }>();
    for (let v = 0; v < VERSIONS; v++) {
      for (let k = 0; k < KEYS; k++) {
        const value = k === 9 && v === VERSIONS - 1 ? null : `v${v}`; // k9 ends deleted
        latest.set(`k${k}`, { offset: await put(log, `k${k}`, value), value });
      }
    }
    const end = log.highWatermark;
    // segment.ms rolls the active segment, then the cleaner runs over every sealed segment
    const removed = await compact(log, Date.now() + 10);
    expect(removed).toBe(KEYS * VERSIONS - KEYS);
    const expected = [...latest].map(([key, l]) => ({ offset: l.offset, key, value: l.value })).sort((a, b) => Number(a.offset - b.offset));
    expect(all(log)).toEqual(expected);
    // offsets stay as written: the end did not move, and a new record follows it
    expect(log.highWatermark).toBe(end);
    expect(await put(log, 'k0', 'v20')).toBe(end);

    // past delete.retention.ms the tombstone goes too (and k0's newer value supersedes v19)
    // (one new record among ten is below the 0.1 dirty ratio: lower it so this pass runs)
    await engine.alterTopicConfig('state', { deleteRetentionMs: 0, minCleanableDirtyRatio: 0 });
    await compact(log, Date.now() + 20);
    const after = all(log);
    expect(after.map((r) => r.key).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8']);
    expect(after.find((r) => r.key === 'k0')).toEqual({ offset: end, key: 'k0', value: 'v20' });

    // what was cleaned reads the same after a restart (indexes rebuilt for the rewritten segments)
    await engine.close();
    engine = await openLogEngine({ dataDir: dir });
    expect(all(engine.partition('state', 0)!)).toEqual(after);
  });

  it('compacts the batches of committed transactions; removes an aborted transaction, which never supersedes a value', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('txstate', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 0, deleteRetentionMs: 3_600_000 });
    const log = engine.partition('txstate', 0)!;
    const txPut = transactionalWriter(log);
    // producer 1: five committed transactions, each writing k0 and k1
    for (let v = 0; v < 5; v++) {
      await txPut(1n, 'k0', `c${v}`);
      await txPut(1n, 'k1', `c${v}`);
      await log.writeMarker(1n, 0, true, 'none');
    }
    // producer 2: a later transaction writing k1, aborted
    await txPut(2n, 'k1', 'aborted');
    await log.writeMarker(2n, 0, false, 'none');
    expect(all(log).map((r) => `${r.key}=${r.value}`)).toContain('k1=aborted');
    await compact(log, Date.now() + 10);
    // the latest committed value per key; the aborted record is gone even for read_uncommitted
    expect(all(log).map((r) => `${r.key}=${r.value}`)).toEqual(['k0=c4', 'k1=c4']);
  });

  it('removes aborted batches at once, and a marker whose transaction has nothing left after delete.retention.ms since it was cleaned', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    const retention = 60_000;
    await engine.createTopic('markers', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 0, deleteRetentionMs: retention });
    const log = engine.partition('markers', 0)! as unknown as PartitionLogImpl;
    const txPut = transactionalWriter(log);
    for (let v = 0; v < 3; v++) {
      await txPut(1n, 'k0', `c${v}`); // each committed value of k0 supersedes the one before
      await log.writeMarker(1n, 0, true, 'none');
      await txPut(1n, 'k1', `aborted${v}`);
      await log.writeMarker(1n, 0, false, 'none');
    }
    await txPut(2n, 'k2', 'kept');
    await log.writeMarker(2n, 0, true, 'none');
    const end = log.highWatermark;
    expect(log.abortedTransactions(0n, end)).toHaveLength(3);
    expect(markers(log)).toEqual(['commit', 'abort', 'commit', 'abort', 'commit', 'abort', 'commit']);

    const t0 = Date.now() + 10;
    await compact(log, t0);
    expect(all(log).map((r) => `${r.key}=${r.value}`)).toEqual(['k0=c2', 'k2=kept']);
    // the aborted transactions' batches are gone, but their markers stay: a reader that fetched the
    // data before this pass still needs the marker that ends it (so their entries stay listed too)
    expect(markers(log)).toEqual(['commit', 'abort', 'commit', 'abort', 'commit', 'abort', 'commit']);
    expect(log.abortedTransactions(0n, end)).toHaveLength(3);

    // the next pass finds the markers empty and stamps them with a horizon; before it, they stay
    await compact(log, t0 + 1);
    await compact(log, t0 + retention - 1);
    expect(markers(log)).toHaveLength(7);
    // after it, every marker whose transaction has no batch left goes; the entries of the aborted ones too
    await compact(log, t0 + 1 + retention + 1);
    // left: the commit marker of c2 (its batch is k0's latest value) and of producer 2
    expect(markers(log)).toEqual(['commit', 'commit']);
    expect(log.abortedTransactions(0n, end)).toEqual([]);
    expect(all(log).map((r) => `${r.key}=${r.value}`)).toEqual(['k0=c2', 'k2=kept']);
    expect(log.lastStableOffset).toBe(log.highWatermark);
    expect(log.highWatermark).toBe(end); // offsets as written

    // the same after a restart: nothing open, nothing listed as aborted, the same records
    await engine.close();
    engine = await openLogEngine({ dataDir: dir });
    const reopened = engine.partition('markers', 0)!;
    expect(reopened.lastStableOffset).toBe(reopened.highWatermark);
    expect(reopened.abortedTransactions(0n, end)).toEqual([]);
    expect(all(reopened).map((r) => `${r.key}=${r.value}`)).toEqual(['k0=c2', 'k2=kept']);
  });

  it('never removes the last batch of the cleaned range: a gap at the end of the log would leave a reader fetching there for ever', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('tail', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 0, deleteRetentionMs: 0 });
    const log = engine.partition('tail', 0)! as unknown as PartitionLogImpl;
    const txPut = transactionalWriter(log);
    await put(log, 'k0', 'plain');
    const abortedAt = await txPut(1n, 'k1', 'aborted');
    await log.writeMarker(1n, 0, false, 'none');
    const t0 = Date.now() + 10;
    for (let pass = 0; pass < 3; pass++) await compact(log, t0 + pass * 10);
    expect(all(log).map((r) => `${r.key}=${r.value}`)).toEqual(['k0=plain']);
    // the aborted batch is gone; its marker, the log's last batch, stays: a read where the batch was finds it
    expect(markers(log)).toEqual(['abort']);
    const { data } = log.read(abortedAt, 1 << 20);
    expect(data.readBigInt64BE(0)).toBe(abortedAt + 1n);
    // once something follows it, it goes like any other
    await put(log, 'k2', 'later');
    const t1 = Date.now() + 10; // segment.ms counts from the new write's wall-clock time
    for (let pass = 0; pass < 3; pass++) await compact(log, t1 + pass * 10);
    expect(markers(log)).toEqual([]);
    expect(all(log).map((r) => `${r.key}=${r.value}`)).toEqual(['k0=plain', 'k2=later']);
  });

  it('a crash after an abort marker was removed, before the transaction state was saved again, forgets its aborted transaction on open', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('forget', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 0, deleteRetentionMs: 0 });
    const log = engine.partition('forget', 0)! as unknown as PartitionLogImpl;
    const txPut = transactionalWriter(log);
    await txPut(1n, 'k0', 'aborted');
    await log.writeMarker(1n, 0, false, 'none');
    for (let i = 0; i < 20; i++) await put(log, `p${i}`, 'plain'); // rolls segments: the state snapshot lists the aborted transaction
    const stateFile = path.join(dir, 'forget-0', 'txn-state.json');
    const listed = fs.readFileSync(stateFile);
    expect(JSON.parse(listed.toString()).aborted).toHaveLength(1);
    const t0 = Date.now() + 10;
    for (let pass = 0; pass < 3; pass++) await compact(log, t0 + pass * 10); // data, then horizon, then the marker
    expect(markers(log)).toEqual([]);
    expect(log.abortedTransactions(0n, log.highWatermark)).toEqual([]);
    // as a SIGKILL would leave it: segments cleaned, the snapshot still the old one, no clean shutdown
    await engine.close();
    engine = undefined;
    fs.writeFileSync(stateFile, listed);
    fs.rmSync(path.join(dir, '.clean-shutdown'), { force: true });
    engine = await openLogEngine({ dataDir: dir });
    const reopened = engine.partition('forget', 0)!;
    expect(reopened.abortedTransactions(0n, reopened.highWatermark)).toEqual([]);
    expect(reopened.lastStableOffset).toBe(reopened.highWatermark);
  });

  it('compact,delete: retention removes whole old segments, compaction keeps the latest record per key of the rest', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('both', { partitions: 1, cleanupPolicy: 'compact,delete', retentionMs: 3_600_000, segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 0 });
    const log = engine.partition('both', 0)!;
    // old records (1970 timestamps, beyond retention.ms) then fresh ones, several versions per key
    for (let i = 0; i < 30; i++) await log.append([{ key: Buffer.from(`old${i % 3}`), value: Buffer.from(`o${i}`), timestamp: 1_000n }]);
    const freshFrom = log.highWatermark;
    for (let i = 0; i < 30; i++) await log.append([{ key: Buffer.from(`new${i % 3}`), value: Buffer.from(`n${i}`), timestamp: BigInt(Date.now()) }]);
    await engine.enforceRetention(Date.now() + 10);
    // every segment holding only expired records went (a segment that also holds fresh ones stays
    // whole, as in Kafka); of what is left, one record per key, the latest
    const left = all(log).map((r) => `${r.key}=${r.value}`);
    expect(left.filter((r) => r.startsWith('new')).sort()).toEqual(['new0=n27', 'new1=n28', 'new2=n29']);
    for (const r of left.filter((x) => x.startsWith('old'))) expect(['old0=o27', 'old1=o28', 'old2=o29']).toContain(r);
    expect(log.logStartOffset).toBeGreaterThan(0n);
    expect(log.logStartOffset).toBeLessThanOrEqual(freshFrom);
  });

  it('deletes the segments cleaning left empty, except the first; reads and a restart see the same records', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('state', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 0.1 });
    const log = engine.partition('state', 0)!;
    for (let v = 0; v < VERSIONS; v++) for (let k = 0; k < KEYS; k++) await put(log, `k${k}`, `v${v}`);
    const logFiles = () => partitionFiles(dir, 'state', 0).filter((f) => f.endsWith('.log'));
    const before = logFiles();
    expect(before.length).toBeGreaterThan(10);
    await compact(log, Date.now() + 10);
    const kept = logFiles();
    // the first segment (the log start offset), the ones holding a latest value, the active one
    expect(kept[0]).toBe(before[0]);
    expect(kept.length).toBeLessThanOrEqual(4);
    expect(log.logStartOffset).toBe(0n);
    const records = all(log);
    expect(records.map((r) => `${r.key}=${r.value}`).sort()).toEqual(Array.from({ length: KEYS }, (_, k) => `k${k}=v${VERSIONS - 1}`).sort());
    // a read at an offset inside a deleted segment is answered from the next one
    expect(log.readRecords(5n, 1)[0].offset).toBe(records[0].offset);
    expect(await put(log, 'k0', 'new')).toBe(BigInt(KEYS * VERSIONS));
    await engine.close();
    engine = await openLogEngine({ dataDir: dir });
    expect(all(engine.partition('state', 0)!)).toEqual([...records, { offset: BigInt(KEYS * VERSIONS), key: 'k0', value: 'new' }]);
  });

  it('does not clean below the dirty ratio, and never a delete-policy topic', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('plain', { partitions: 1, segmentBytes: 1024, segmentMs: 1 });
    await engine.createTopic('lazy', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024, segmentMs: 1, minCleanableDirtyRatio: 1 });
    for (const t of ['plain', 'lazy']) for (let i = 0; i < 50; i++) await put(engine.partition(t, 0)!, 'same', `v${i}`);
    expect(await compact(engine.partition('plain', 0)!, Date.now() + 10)).toBe(0);
    expect(all(engine.partition('plain', 0)!)).toHaveLength(50);
    const lazy = engine.partition('lazy', 0)! as unknown as PartitionLogImpl;
    expect(lazy.dirtyRatio()).toBe(1);
    // ratio 1 is reached (everything is dirty): it cleans; then nothing is dirty
    expect(await compact(lazy, Date.now() + 10)).toBe(49);
    expect(lazy.dirtyRatio()).toBe(0);
  });

  it('a cleaned segment the crash left unswapped is discarded on open; the original is read', async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('crashy', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: 1024 });
    const log = engine.partition('crashy', 0)!;
    for (let i = 0; i < 40; i++) await put(log, `k${i % 4}`, `v${i}`);
    const before = all(log);
    await engine.close();
    engine = undefined;
    // a half-written .log.cleaned beside the first segment, as a SIGKILL mid-write would leave it
    const pdir = path.join(dir, 'crashy-0');
    fs.writeFileSync(path.join(pdir, '00000000000000000000.log.cleaned'), Buffer.from('half a batch'));
    fs.rmSync(path.join(dir, '.clean-shutdown'), { force: true });
    engine = await openLogEngine({ dataDir: dir });
    expect(fs.readdirSync(pdir).filter((f) => f.endsWith('.cleaned'))).toEqual([]);
    expect(all(engine.partition('crashy', 0)!)).toEqual(before);
  });
});
