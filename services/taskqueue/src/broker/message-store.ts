// Durable messages and topology on disk. Persistent messages on durable queues go to an
// append-only journal of segment files; writes from all publishers are batched and fsynced
// together (group commit), and each publisher's promise resolves when its batch is on disk.
// Acks append REMOVE records. Space is reclaimed oldest-segment-first: a segment whose messages
// are all gone is deleted; a mostly-dead oldest segment has its few live messages re-journaled
// forward so it can go. Segments are deleted only in order, so a REMOVE record never outlives
// the segment holding the message it removes. Topology (durable exchanges, queues, bindings) is a
// small JSON file replaced atomically.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BrokerOptions, Message } from './contract.js';
import { decodeRecord, DELIVERED, encodePublish, encodeRemove, PUBLISH, REMOVE } from './journal-record.js';
import type { MessageStore, OpenedStore, RecoveredMessage, Topology } from './store-types.js';
import { fromTaggedJson, toTaggedJson } from './tagged-json.js';

export const DEFAULT_SEGMENT_BYTES = 32 * 1024 * 1024;

interface Live {
  seg: number;
  queueKey: number;
  expiresAt: number;
  message: Message;
  bytes: number;
  delivered: boolean;
}

interface Segment {
  no: number;
  bytes: number;
  live: number;
  liveBytes: number;
  /** the batch after which its last live message's removal (or move) is durable */
  emptySinceBatch: number;
}

export interface MessageStoreOptions extends BrokerOptions {
  segmentBytes?: number;
}

const segName = (no: number) => `${String(no).padStart(12, '0')}.seg`;

export class JournalStore implements MessageStore {
  private readonly live = new Map<number, Live>();
  private readonly segments: Segment[] = [];
  private current!: Segment;
  private fd = -1;
  // the batch being filled
  private chunks: (Buffer | null)[] = [];
  private pendingPublish = new Map<number, number>(); // id → index of its head chunk
  private removes: number[] = [];
  private deliveredIds: number[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private batchNo = 1;
  private flushedBatch = 0;
  private flushing = false;
  private scheduled = false;
  private closed = false;
  private failure: Error | null = null;
  private idleWaiters: Array<() => void> = [];
  /** releases the data directory lock */
  onClose: (() => void) | null = null;

  constructor(private readonly dir: string, private readonly fsync: boolean, private readonly segmentBytes: number) {}

  get journalDir(): string {
    return path.join(this.dir, 'journal');
  }

  /** replay the journal; returns the live messages in id order */
  recover(): RecoveredMessage[] {
    fs.mkdirSync(this.journalDir, { recursive: true });
    const files = fs.readdirSync(this.journalDir).filter((f) => f.endsWith('.seg')).sort();
    let lastNo = 0;
    for (const f of files) {
      const no = Number(f.slice(0, -4));
      lastNo = Math.max(lastNo, no);
      const file = path.join(this.journalDir, f);
      const buf = fs.readFileSync(file);
      const seg: Segment = { no, bytes: 0, live: 0, liveBytes: 0, emptySinceBatch: 0 };
      let off = 0;
      while (off < buf.length) {
        const d = decodeRecord(buf, off);
        if (!d) break;
        const r = d.record;
        if (r.type === PUBLISH) {
          const old = this.live.get(r.id);
          if (old) this.forget(r.id, old);
          this.live.set(r.id, { seg: no, queueKey: r.queueKey, expiresAt: r.expiresAt, message: r.message, bytes: d.size, delivered: old?.delivered ?? false });
          seg.live++;
          seg.liveBytes += d.size;
        } else if (r.type === REMOVE) {
          for (const id of r.ids) {
            const l = this.live.get(id);
            if (l) this.forget(id, l, seg);
          }
        } else if (r.type === DELIVERED) {
          for (const id of r.ids) {
            const l = this.live.get(id);
            if (l) l.delivered = true;
          }
        }
        off += d.size;
      }
      if (off < buf.length) {
        // a torn or corrupt tail (crash mid-write): cut it off
        fs.truncateSync(file, off);
      }
      seg.bytes = off;
      this.segments.push(seg);
    }
    for (const s of this.segments) s.emptySinceBatch = 0;
    this.openSegment(lastNo + 1);
    this.reclaim();
    return [...this.live.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([id, l]) => ({ id, queueKey: l.queueKey, expiresAt: l.expiresAt, message: l.message, redelivered: l.delivered }));
  }

  private segmentOf(no: number): Segment | undefined {
    // segments are few; the current one is the usual answer
    if (this.current && this.current.no === no) return this.current;
    return this.segments.find((s) => s.no === no);
  }

  private forget(id: number, l: Live, during?: Segment): void {
    this.live.delete(id);
    const seg = during && during.no === l.seg ? during : this.segmentOf(l.seg);
    if (!seg) return;
    seg.live--;
    seg.liveBytes -= l.bytes;
    if (seg.live === 0) seg.emptySinceBatch = this.batchNo;
  }

  private openSegment(no: number): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.current = { no, bytes: 0, live: 0, liveBytes: 0, emptySinceBatch: 0 };
    this.segments.push(this.current);
    this.fd = fs.openSync(path.join(this.journalDir, segName(no)), 'a');
    if (this.fsync) syncDir(this.journalDir);
  }

  append(id: number, queueKey: number, expiresAt: number, message: Message): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('message store closed'));
    this.journal(id, queueKey, expiresAt, message);
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private journal(id: number, queueKey: number, expiresAt: number, message: Message, delivered = false): void {
    const [head, body] = encodePublish(id, queueKey, expiresAt, message);
    const bytes = head.length + body.length;
    const old = this.live.get(id);
    if (old) this.forget(id, old);
    this.live.set(id, { seg: this.current.no, queueKey, expiresAt, message, bytes, delivered });
    // a moved message keeps its delivered mark
    if (delivered) this.deliveredIds.push(id);
    this.current.live++;
    this.current.liveBytes += bytes;
    this.pendingPublish.set(id, this.chunks.length);
    this.chunks.push(head, body);
  }

  remove(id: number): void {
    const l = this.live.get(id);
    if (!l) return;
    const idx = this.pendingPublish.get(id);
    if (idx !== undefined) {
      // acked before it reached the disk: never write it at all
      this.pendingPublish.delete(id);
      this.chunks[idx] = null;
      this.chunks[idx + 1] = null;
    } else {
      this.removes.push(id);
      this.schedule();
    }
    this.forget(id, l);
  }

  delivered(id: number): void {
    const l = this.live.get(id);
    if (!l || l.delivered) return;
    l.delivered = true;
    this.deliveredIds.push(id);
    this.schedule();
  }

  saveTopology(topology: Topology): void {
    const file = path.join(this.dir, 'topology.json');
    const tmp = `${file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, toTaggedJson(topology));
      if (this.fsync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  }

  loadTopology(): Topology | null {
    const file = path.join(this.dir, 'topology.json');
    if (!fs.existsSync(file)) return null;
    return fromTaggedJson<Topology>(fs.readFileSync(file, 'utf8'));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // let every publisher of this tick join the batch
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.chunks.length > 0 || this.removes.length > 0 || this.deliveredIds.length > 0 || this.waiters.length > 0) {
        const chunks = this.chunks;
        const waiters = this.waiters;
        const removes = this.removes;
        const delivered = this.deliveredIds;
        const batch = this.batchNo++;
        this.chunks = [];
        this.waiters = [];
        this.removes = [];
        this.deliveredIds = [];
        this.pendingPublish = new Map();
        const parts = chunks.filter((c): c is Buffer => c !== null);
        // marks after the publishes they refer to; a removed message needs no mark
        const marks = delivered.filter((id) => this.live.has(id));
        if (marks.length > 0) parts.push(encodeRemove(marks, DELIVERED));
        if (removes.length > 0) parts.push(encodeRemove(removes));
        try {
          if (parts.length > 0) {
            const data = parts.length === 1 ? parts[0] : Buffer.concat(parts);
            await writeAll(this.fd, data);
            this.current.bytes += data.length;
            if (this.fsync) await fdatasync(this.fd);
          }
          this.flushedBatch = batch;
          for (const w of waiters) w.resolve();
        } catch (e) {
          this.failure = e as Error;
          for (const w of waiters) w.reject(e as Error);
          throw e;
        }
        this.reclaim();
        if (this.current.bytes >= this.segmentBytes) this.openSegment(this.current.no + 1);
      }
    } catch {
      // failure recorded; publishers get rejections (confirm → nack)
    } finally {
      this.flushing = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** delete empty segments from the oldest; move the few live messages out of a mostly-dead oldest one */
  private reclaim(): void {
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      if (oldest === this.current) break;
      if (oldest.live === 0 && oldest.emptySinceBatch <= this.flushedBatch) {
        this.segments.shift();
        try {
          fs.unlinkSync(path.join(this.journalDir, segName(oldest.no)));
        } catch {
          // already gone
        }
        continue;
      }
      if (oldest.live > 0 && oldest.liveBytes * 4 < oldest.bytes) {
        for (const [id, l] of this.live) {
          if (l.seg === oldest.no) this.journal(id, l.queueKey, l.expiresAt, l.message, l.delivered);
        }
        // the moved copies are durable with the next batch; the segment goes after it
        this.schedule();
      }
      break;
    }
  }

  /** wait until everything appended so far is written */
  async drained(): Promise<void> {
    while (this.flushing || this.scheduled || this.chunks.length > 0 || this.removes.length > 0 || this.deliveredIds.length > 0) {
      if (!this.flushing && !this.scheduled) {
        await this.flush();
        continue;
      }
      await new Promise<void>((r) => (this.flushing ? this.idleWaiters.push(r) : setImmediate(r)));
    }
  }

  /** bytes of segment files on disk (tests and stats) */
  diskBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.bytes;
    return total;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.drained();
    this.closed = true;
    if (this.fd >= 0) {
      if (this.fsync) await fdatasync(this.fd).catch(() => undefined);
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    this.onClose?.();
  }
}

/** make a created or deleted file name durable */
function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems refuse fsync on directories; the data itself is still synced
  }
}

async function writeAll(fd: number, data: Buffer): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
      fs.write(fd, data, off, data.length - off, null, (err, n) => (err ? reject(err) : resolve({ bytesWritten: n }))),
    );
    off += bytesWritten;
  }
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/** one broker per data directory: a second one would interleave journal writes */
const lockedHere = new Set<string>();

function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'LOCK');
  const key = path.resolve(dir);
  if (lockedHere.has(key)) throw new Error(`data directory ${dir} is in use by this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      lockedHere.add(key);
      return () => {
        lockedHere.delete(key);
        fs.rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(`data directory ${dir} is in use by process ${pid}`);
      }
      // left behind by a crash (or by this process before): take it over
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot lock data directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openMessageStore(options: MessageStoreOptions): Promise<OpenedStore> {
  await fsp.mkdir(options.dataDir, { recursive: true });
  const unlock = lockDataDir(options.dataDir);
  const store = new JournalStore(options.dataDir, (options.durability ?? 'fsync') === 'fsync', options.segmentBytes ?? DEFAULT_SEGMENT_BYTES);
  store.onClose = unlock;
  try {
    const topology = store.loadTopology();
    const messages = store.recover();
    return { store, topology, messages };
  } catch (e) {
    unlock();
    throw e;
  }
}
