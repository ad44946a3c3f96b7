import { ProtocolError } from './errors.js';

/**
 * Bounds-checked reader for Kafka's non-flexible primitive types. Every read validates the remaining
 * length first, so a hostile frame can only produce a ProtocolError, never an out-of-range read or a
 * huge allocation (array counts are checked against the bytes that are left).
 */
export class Reader {
  offset: number;
  private readonly end: number;

  constructor(readonly buf: Buffer, start = 0, end = buf.length) {
    this.offset = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.offset + n > this.end) {
      throw new ProtocolError(`truncated ${what}: need ${n} bytes at ${this.offset}, have ${this.end - this.offset}`);
    }
  }

  int8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.offset++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    this.need(8, 'int64');
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  /** zig-zag varint (int32 range) as used inside records */
  varint(): number {
    let raw = 0;
    let shift = 0;
    for (;;) {
      this.need(1, 'varint');
      const b = this.buf[this.offset++];
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new ProtocolError('varint too long');
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** zig-zag varlong as used inside records */
  varlong(): bigint {
    let raw = 0n;
    let shift = 0n;
    for (;;) {
      this.need(1, 'varlong');
      const b = this.buf[this.offset++];
      raw |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new ProtocolError('varlong too long');
    }
    return (raw >> 1n) ^ -(raw & 1n);
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null where a string is required');
    return s;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < -1) throw new ProtocolError(`invalid string length ${len}`);
    this.need(len, 'string');
    const s = this.buf.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return s;
  }

  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolError('null where bytes are required');
    return b;
  }

  /** A view into the frame (no copy); callers that keep it beyond the request must copy. */
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < -1) throw new ProtocolError(`invalid bytes length ${len}`);
    this.need(len, 'bytes');
    const b = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return b;
  }

  array<T>(item: (r: Reader) => T): T[] {
    const a = this.nullableArray(item);
    if (a === null) throw new ProtocolError('null where an array is required');
    return a;
  }

  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < -1) throw new ProtocolError(`invalid array length ${n}`);
    // every element takes at least one byte, so a count beyond the remaining bytes is a lie
    if (n > this.remaining) throw new ProtocolError(`array length ${n} exceeds remaining ${this.remaining} bytes`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  int32Array(): number[] {
    return this.array((r) => r.int32());
  }

  // ------------------------------------------------ flexible versions (KIP-482) and the rarer types

  uint16(): number {
    this.need(2, 'uint16');
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  float64(): number {
    this.need(8, 'float64');
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  uuid(): Buffer {
    this.need(16, 'uuid');
    const b = Buffer.from(this.buf.subarray(this.offset, this.offset + 16));
    this.offset += 16;
    return b;
  }

  /** unsigned varint (no zig-zag), up to 32 bits: lengths and tags in flexible versions */
  uvarint(): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      this.need(1, 'unsigned varint');
      const b = this.buf[this.offset++];
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new ProtocolError('unsigned varint too long');
    }
    if (v > 0xffffffff) throw new ProtocolError('unsigned varint out of range');
    return v;
  }

  /** compact lengths are stored plus one so that 0 means null; answers -1 for null */
  private compactLength(): number {
    return this.uvarint() - 1;
  }

  compactNullableString(): string | null {
    const len = this.compactLength();
    if (len === -1) return null;
    this.need(len, 'compact string');
    const s = this.buf.toString('utf8', this.offset, this.offset + len);
    this.offset += len;
    return s;
  }

  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError('null where a string is required');
    return s;
  }

  /** A view into the frame (no copy), like nullableBytes. */
  compactNullableBytes(): Buffer | null {
    const len = this.compactLength();
    if (len === -1) return null;
    this.need(len, 'compact bytes');
    const b = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return b;
  }

  compactNullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.compactLength();
    if (n === -1) return null;
    if (n > this.remaining) throw new ProtocolError(`array length ${n} exceeds remaining ${this.remaining} bytes`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.offset += n;
  }
}
