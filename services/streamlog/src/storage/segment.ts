import fs from 'node:fs';
import {
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_LAST_OFFSET_DELTA,
  BATCH_OFFSET_LENGTH,
  BATCH_OFFSET_MAGIC,
  BATCH_OFFSET_MAX_TIMESTAMP,
  MAGIC_V2,
  batchCrcMatches,
  readInt64AsNumber,
} from '../records/index.js';
import { writeFileAtomic } from './atomic-file.js';
import { StorageError } from './contract.js';
import { sealedReadHandles } from './sealed-read-handles.js';
import { LOG_SUFFIX, OFFSET_INDEX_SUFFIX, TIME_INDEX_SUFFIX, segmentPath } from './file-names.js';
import { OffsetIndex, TimeIndex } from './indexes.js';

const SCAN_CHUNK = 1 << 20;
const LOCATE_CHUNK = 16 << 10;

/**
 * One segment: a .log file of record batches starting at `baseOffset` plus its sparse indexes,
 * kept in memory and written to .index/.timeindex when the segment is sealed or the log closes.
 */
export class Segment {
  nextOffset: number;
  size = 0;
  /** largest record timestamp in the segment (-Infinity while empty) */
  maxTimestamp = -Infinity;
  offsetIndex = new OffsetIndex();
  timeIndex = new TimeIndex();
  /**
   * The open .log descriptor, or null once released: a sealed segment gives its descriptor back
   * (release()) and reads through the process-wide cache of sealed read descriptors, so a partition
   * holds exactly one descriptor of its own (its active segment) however many segments it has, and
   * the partition budget is true.
   */
  private handle: number | null;
  private bytesSinceIndexEntry = 0;
  private lastBatchRelative = -1;
  private indexesDirty = true;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    fd: number,
    private readonly indexIntervalBytes: number,
  ) {
    this.nextOffset = baseOffset;
    this.handle = fd;
  }

  /** the descriptor of an open (active) segment, for writes and fsync */
  get fd(): number {
    if (this.handle === null) throw new StorageError('KAFKA_STORAGE_ERROR', `segment ${this.baseOffset} is sealed and has no open descriptor`);
    return this.handle;
  }

  /** close the descriptor of a sealed segment (its data is fsynced); reads go through sealedReadHandles */
  release(): void {
    this.close();
  }

  static create(dir: string, baseOffset: number, indexIntervalBytes: number): Segment {
    const fd = fs.openSync(segmentPath(dir, baseOffset, LOG_SUFFIX), 'w+');
    return new Segment(dir, baseOffset, fd, indexIntervalBytes);
  }

  /**
   * Opens an existing segment. With `trustIndexes` its index files are loaded (and only the bytes
   * after the last index entry are scanned when `isLast`); otherwise, or when they are missing or
   * implausible, the whole file is scanned. A scan stops at the first incomplete or CRC-invalid
   * batch and truncates the file there.
   */
  static open(dir: string, baseOffset: number, indexIntervalBytes: number, opts: { trustIndexes: boolean; isLast: boolean }): Segment {
    const fd = fs.openSync(segmentPath(dir, baseOffset, LOG_SUFFIX), 'r+');
    const seg = new Segment(dir, baseOffset, fd, indexIntervalBytes);
    const fileSize = fs.fstatSync(fd).size;
    const loaded = (opts.trustIndexes || !opts.isLast) && seg.loadIndexes(fileSize);
    if (loaded && !opts.isLast) {
      // sealed segment with good indexes: its size and max timestamp come from them; nextOffset
      // is fixed up by the partition from the following segment's base offset
      seg.size = fileSize;
      seg.maxTimestamp = seg.timeIndex.lastTimestamp();
      seg.indexesDirty = false;
      if (fileSize > 0 && seg.timeIndex.length > 0) return seg;
      if (fileSize === 0) return seg;
    }
    if (loaded && opts.isLast) {
      // resume from the last indexed batch: everything before it was indexed at a clean close
      const startPos = seg.offsetIndex.lastPosition();
      const startOffset = seg.baseOffset + seg.offsetIndex.lastRelativeOffset();
      seg.maxTimestamp = seg.timeIndex.lastTimestamp();
      seg.size = startPos;
      seg.nextOffset = startOffset;
      seg.scan(startPos, fileSize);
      seg.indexesDirty = true;
      return seg;
    }
    seg.offsetIndex = new OffsetIndex();
    seg.timeIndex = new TimeIndex();
    seg.size = 0;
    seg.nextOffset = baseOffset;
    seg.maxTimestamp = -Infinity;
    seg.scan(0, fileSize);
    seg.indexesDirty = true;
    if (!opts.isLast) seg.writeIndexes(true);
    return seg;
  }

  /** true when both index files exist and are consistent with a log of `logSize` bytes */
  private loadIndexes(logSize: number): boolean {
    try {
      const off = OffsetIndex.parse(fs.readFileSync(segmentPath(this.dir, this.baseOffset, OFFSET_INDEX_SUFFIX)), logSize);
      const time = TimeIndex.parse(fs.readFileSync(segmentPath(this.dir, this.baseOffset, TIME_INDEX_SUFFIX)));
      if (!off || !time) return false;
      if (time.length > 0 && time.lastRelativeOffset() < 0) return false;
      this.offsetIndex = off;
      this.timeIndex = time;
      return true;
    } catch {
      return false;
    }
  }

  /** Scans batches in [from, fileSize), indexing each; truncates the file at the first bad one. */
  private scan(from: number, fileSize: number): void {
    let chunk = Buffer.allocUnsafe(Math.min(SCAN_CHUNK, Math.max(fileSize - from, BATCH_HEADER_SIZE)));
    let chunkStart = from;
    let chunkLen = 0;
    let pos = from;
    for (;;) {
      if (fileSize - pos < BATCH_HEADER_SIZE) break;
      if (pos + BATCH_HEADER_SIZE > chunkStart + chunkLen) {
        chunkStart = pos;
        chunkLen = fs.readSync(this.fd, chunk, 0, Math.min(chunk.length, fileSize - pos), pos);
        if (chunkLen < BATCH_HEADER_SIZE) break;
      }
      let p = pos - chunkStart;
      const size = BATCH_LOG_OVERHEAD + chunk.readInt32BE(p + BATCH_OFFSET_LENGTH);
      const batchBase = readInt64AsNumber(chunk, p);
      const lastDelta = chunk.readInt32BE(p + BATCH_OFFSET_LAST_OFFSET_DELTA);
      if (size < BATCH_HEADER_SIZE || pos + size > fileSize) break;
      // batches ascend; after compaction a segment may skip offsets between them
      if (chunk[p + BATCH_OFFSET_MAGIC] !== MAGIC_V2 || batchBase < this.nextOffset || lastDelta < 0) break;
      if (pos + size > chunkStart + chunkLen) {
        if (size > chunk.length) chunk = Buffer.allocUnsafe(size);
        chunkStart = pos;
        chunkLen = fs.readSync(this.fd, chunk, 0, Math.min(chunk.length, fileSize - pos), pos);
        if (chunkLen < size) break;
        p = 0;
      }
      if (!batchCrcMatches(chunk, p, size)) break;
      this.onBatchAppended(pos, batchBase, batchBase + lastDelta, readInt64AsNumber(chunk, p + BATCH_OFFSET_MAX_TIMESTAMP), size);
      pos += size;
    }
    if (pos < fileSize) fs.ftruncateSync(this.fd, pos);
  }

  /** bookkeeping after a batch landed at `position`: size, offsets, sparse index entries */
  onBatchAppended(position: number, batchBase: number, lastOffset: number, batchMaxTimestamp: number, batchSize: number): void {
    const relative = batchBase - this.baseOffset;
    if (batchMaxTimestamp > this.maxTimestamp) this.maxTimestamp = batchMaxTimestamp;
    if (this.bytesSinceIndexEntry >= this.indexIntervalBytes) {
      this.offsetIndex.append(relative, position);
      if (this.maxTimestamp > this.timeIndex.lastTimestamp()) this.timeIndex.append(this.maxTimestamp, relative);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += batchSize;
    this.lastBatchRelative = relative;
    this.size = position + batchSize;
    this.nextOffset = lastOffset + 1;
    this.indexesDirty = true;
  }

  /** writes buf[start,end) at the end of the file; on failure the file is cut back and KAFKA_STORAGE_ERROR thrown */
  write(buf: Buffer, start: number, end: number): void {
    let written = 0;
    const total = end - start;
    try {
      while (written < total) {
        written += fs.writeSync(this.fd, buf, start + written, total - written, this.size + written);
      }
    } catch (err) {
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        // the scan on the next open cuts a torn tail anyway
      }
      throw new StorageError('KAFKA_STORAGE_ERROR', `write failed: ${(err as Error).message}`);
    }
  }

  readInto(buf: Buffer, bufOffset: number, length: number, position: number): number {
    const sealed = this.handle === null;
    const fd = this.handle ?? sealedReadHandles.fdFor(this, () => fs.openSync(segmentPath(this.dir, this.baseOffset, LOG_SUFFIX), 'r'));
    try {
      let n = 0;
      while (n < length) {
        const r = fs.readSync(fd, buf, bufOffset + n, length - n, position + n);
        if (r === 0) break;
        n += r;
      }
      return n;
    } finally {
      // only with a cache of capacity 0 is the descriptor this read's own
      if (sealed && !sealedReadHandles.isCached(this)) fs.closeSync(fd);
    }
  }

  /**
   * Position of the first batch whose last offset is >= `offset` (the batch containing it), or -1
   * when the segment ends before it. Starts from the offset index and walks batch headers.
   */
  findBatchPosition(offset: number, scratch: Buffer): number {
    if (offset >= this.nextOffset) return -1;
    let pos = this.offsetIndex.floorPosition(offset - this.baseOffset);
    let chunkStart = 0;
    let chunkLen = 0;
    while (pos + BATCH_HEADER_SIZE <= this.size) {
      if (pos < chunkStart || pos + BATCH_HEADER_SIZE > chunkStart + chunkLen) {
        chunkStart = pos;
        chunkLen = this.readInto(scratch, 0, Math.min(scratch.length, this.size - pos), pos);
        if (chunkLen < BATCH_HEADER_SIZE) return -1;
      }
      const p = pos - chunkStart;
      const lastOffset = readInt64AsNumber(scratch, p) + scratch.readInt32BE(p + BATCH_OFFSET_LAST_OFFSET_DELTA);
      if (lastOffset >= offset) return pos;
      pos += BATCH_LOG_OVERHEAD + scratch.readInt32BE(p + BATCH_OFFSET_LENGTH);
    }
    return -1;
  }

  /** Makes the time index end with the segment's max timestamp (so a sealed segment knows it) and persists both indexes. */
  writeIndexes(fsync: boolean): void {
    if (!this.indexesDirty) return;
    if (this.lastBatchRelative >= 0 && this.maxTimestamp > this.timeIndex.lastTimestamp()) {
      this.timeIndex.append(this.maxTimestamp, Math.max(this.lastBatchRelative, this.timeIndex.lastRelativeOffset()));
    }
    const off = segmentPath(this.dir, this.baseOffset, OFFSET_INDEX_SUFFIX);
    const time = segmentPath(this.dir, this.baseOffset, TIME_INDEX_SUFFIX);
    if (fsync) {
      writeFileAtomic(off, this.offsetIndex.serialize());
      writeFileAtomic(time, this.timeIndex.serialize());
    } else {
      fs.writeFileSync(off, this.offsetIndex.serialize());
      fs.writeFileSync(time, this.timeIndex.serialize());
    }
    this.indexesDirty = false;
  }

  /** a released segment was fsynced before it gave its descriptor back: nothing to do */
  fsync(): void {
    if (this.handle !== null) fs.fdatasyncSync(this.handle);
  }

  close(): void {
    // a cached read descriptor must not outlive the segment (deleted, or replaced by a cleaned file)
    sealedReadHandles.evict(this);
    if (this.handle === null) return;
    const fd = this.handle;
    this.handle = null;
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  }

  deleteFiles(): void {
    this.close();
    // indexes first: a crash in between leaves a .log without indexes (rescanned on open), never orphaned indexes
    for (const suffix of [OFFSET_INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX]) {
      fs.rmSync(segmentPath(this.dir, this.baseOffset, suffix), { force: true });
    }
  }

  /** file modification time, for segments whose records carry no usable timestamp */
  lastModifiedMs(): number {
    return this.handle !== null ? fs.fstatSync(this.handle).mtimeMs : fs.statSync(segmentPath(this.dir, this.baseOffset, LOG_SUFFIX)).mtimeMs;
  }
}

export { LOCATE_CHUNK };
