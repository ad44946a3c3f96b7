// In-memory sparse indexes of one segment, serialized in Kafka's layouts:
// .index entries (relativeOffset int32, position int32); .timeindex entries (timestamp int64,
// relativeOffset int32). Our entries point at a batch's base offset; the time index keeps the
// largest timestamp seen so far, so it is non-decreasing and binary-searchable.

const INITIAL_CAPACITY = 64;

export class OffsetIndex {
  static readonly ENTRY_SIZE = 8;
  private rel = new Int32Array(INITIAL_CAPACITY);
  private pos = new Int32Array(INITIAL_CAPACITY);
  length = 0;

  append(relativeOffset: number, position: number): void {
    if (this.length === this.rel.length) {
      const rel = new Int32Array(this.rel.length * 2);
      rel.set(this.rel);
      const pos = new Int32Array(this.pos.length * 2);
      pos.set(this.pos);
      this.rel = rel;
      this.pos = pos;
    }
    this.rel[this.length] = relativeOffset;
    this.pos[this.length] = position;
    this.length++;
  }

  /** position of the last indexed batch starting at or before `relativeOffset` (0 if none) */
  floorPosition(relativeOffset: number): number {
    let lo = 0;
    let hi = this.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rel[mid] <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : this.pos[found];
  }

  lastPosition(): number {
    return this.length === 0 ? 0 : this.pos[this.length - 1];
  }

  lastRelativeOffset(): number {
    return this.length === 0 ? 0 : this.rel[this.length - 1];
  }

  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(this.length * OffsetIndex.ENTRY_SIZE);
    for (let i = 0; i < this.length; i++) {
      buf.writeInt32BE(this.rel[i], i * 8);
      buf.writeInt32BE(this.pos[i], i * 8 + 4);
    }
    return buf;
  }

  /** null when the file is not a plausible index for a log of `logSize` bytes */
  static parse(buf: Buffer, logSize: number): OffsetIndex | null {
    if (buf.length % OffsetIndex.ENTRY_SIZE !== 0) return null;
    const idx = new OffsetIndex();
    let prevRel = -1;
    let prevPos = -1;
    for (let i = 0; i < buf.length; i += 8) {
      const rel = buf.readInt32BE(i);
      const pos = buf.readInt32BE(i + 4);
      if (rel <= prevRel || pos <= prevPos || pos >= logSize) return null;
      idx.append(rel, pos);
      prevRel = rel;
      prevPos = pos;
    }
    return idx;
  }
}

export class TimeIndex {
  static readonly ENTRY_SIZE = 12;
  private ts = new Float64Array(INITIAL_CAPACITY);
  private rel = new Int32Array(INITIAL_CAPACITY);
  length = 0;

  append(timestamp: number, relativeOffset: number): void {
    if (this.length === this.ts.length) {
      const ts = new Float64Array(this.ts.length * 2);
      ts.set(this.ts);
      const rel = new Int32Array(this.rel.length * 2);
      rel.set(this.rel);
      this.ts = ts;
      this.rel = rel;
    }
    this.ts[this.length] = timestamp;
    this.rel[this.length] = relativeOffset;
    this.length++;
  }

  lastTimestamp(): number {
    return this.length === 0 ? -Infinity : this.ts[this.length - 1];
  }

  lastRelativeOffset(): number {
    return this.length === 0 ? -1 : this.rel[this.length - 1];
  }

  /**
   * Relative offset of the last entry whose timestamp is < `timestamp`: every batch up to and
   * including that one holds only older records, so a search may start there. -1 = from the start.
   */
  lastBelow(timestamp: number): number {
    let lo = 0;
    let hi = this.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid] < timestamp) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? -1 : this.rel[found];
  }

  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(this.length * TimeIndex.ENTRY_SIZE);
    for (let i = 0; i < this.length; i++) {
      buf.writeBigInt64BE(BigInt(this.ts[i]), i * 12);
      buf.writeInt32BE(this.rel[i], i * 12 + 8);
    }
    return buf;
  }

  static parse(buf: Buffer): TimeIndex | null {
    if (buf.length % TimeIndex.ENTRY_SIZE !== 0) return null;
    const idx = new TimeIndex();
    let prevTs = -Infinity;
    let prevRel = -1;
    for (let i = 0; i < buf.length; i += 12) {
      const ts = Number(buf.readBigInt64BE(i));
      const rel = buf.readInt32BE(i + 8);
      if (ts < prevTs || rel < prevRel) return null;
      idx.append(ts, rel);
      prevTs = ts;
      prevRel = rel;
    }
    return idx;
  }
}
