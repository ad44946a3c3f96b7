/**
 * Growable big-endian writer for Kafka's non-flexible primitive types. Large byte blobs (record
 * batches in Fetch responses) are appended by reference instead of copied, then joined once.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private total = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.total + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushScratch();
    this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2, 256));
  }

  private flushScratch(): void {
    if (this.pos > 0) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.total += this.pos;
      this.buf = this.buf.subarray(this.pos);
      this.pos = 0;
    }
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  varint(v: number): this {
    let z = ((v << 1) ^ (v >> 31)) >>> 0;
    this.ensure(5);
    while (z > 0x7f) {
      this.buf[this.pos++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    this.buf[this.pos++] = z;
    return this;
  }

  varlong(v: bigint): this {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (z > 0x7fn) {
      this.buf[this.pos++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    this.buf[this.pos++] = Number(z);
    return this;
  }

  string(v: string): this {
    return this.nullableString(v);
  }

  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    const len = Buffer.byteLength(v, 'utf8');
    this.int16(len);
    this.ensure(len);
    this.buf.write(v, this.pos, 'utf8');
    this.pos += len;
    return this;
  }

  bytes(v: Buffer): this {
    return this.nullableBytes(v);
  }

  nullableBytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    return this.raw(v);
  }

  /** append bytes without a length prefix */
  raw(v: Buffer): this {
    if (v.length >= 1024) {
      this.flushScratch();
      this.chunks.push(v);
      this.total += v.length;
      return this;
    }
    this.ensure(v.length);
    v.copy(this.buf, this.pos);
    this.pos += v.length;
    return this;
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, item);
  }

  int32Array(items: readonly number[]): this {
    return this.array(items, (w, v) => w.int32(v));
  }

  // ------------------------------------------------ flexible versions (KIP-482) and the rarer types

  uint16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  uuid(v: Buffer): this {
    if (v.length !== 16) throw new Error(`a uuid has 16 bytes, not ${v.length}`);
    return this.raw(v);
  }

  /** unsigned varint (no zig-zag), up to 32 bits */
  uvarint(v: number): this {
    this.ensure(5);
    let z = v >>> 0;
    while (z > 0x7f) {
      this.buf[this.pos++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    this.buf[this.pos++] = z;
    return this;
  }

  compactNullableString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    const len = Buffer.byteLength(v, 'utf8');
    this.uvarint(len + 1);
    this.ensure(len);
    this.buf.write(v, this.pos, 'utf8');
    this.pos += len;
    return this;
  }

  compactNullableBytes(v: Buffer | null): this {
    if (v === null) return this.uvarint(0);
    this.uvarint(v.length + 1);
    return this.raw(v);
  }

  compactNullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }

  toBuffer(): Buffer {
    this.flushScratch();
    if (this.chunks.length === 1) return this.chunks[0];
    return Buffer.concat(this.chunks, this.total);
  }

  /** the finished message prefixed by its int32 size, ready for the socket */
  toFrame(): Buffer {
    // one copy of every chunk (a Fetch response's record batches included) straight into the frame,
    // not a join into a body and then a second copy behind the size prefix
    this.flushScratch();
    const frame = Buffer.allocUnsafe(4 + this.total);
    frame.writeInt32BE(this.total, 0);
    let pos = 4;
    for (const c of this.chunks) pos += c.copy(frame, pos);
    return frame;
  }
}
