// Byte-level reader and writer shared by every AMQP codec. The reader works on a frame's payload
// without copying; the writer appends to a slab so a burst of frames costs one allocation, and the
// region written since the last flush is handed to the socket as a single view.
import { AmqpConnectionError, ReplyCode } from '../errors.js';

export function syntaxError(text: string): AmqpConnectionError {
  return new AmqpConnectionError(ReplyCode.SYNTAX_ERROR, text);
}

const TWO_32 = 4294967296;

export class Reader {
  constructor(
    public buf: Buffer,
    public pos: number,
    public end: number,
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.end) throw syntaxError('truncated method or property payload');
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  i8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  i16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  /** unsigned 64-bit as a number when it is exact, else a bigint */
  u64(): number | bigint {
    this.need(8);
    const hi = this.buf.readUInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    if (hi < 0x200000) return hi * TWO_32 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  /** unsigned 64-bit that must fit a number (delivery tags, body sizes) */
  u64n(): number {
    this.need(8);
    const hi = this.buf.readUInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    if (hi >= 0x200000) throw syntaxError('64-bit value out of range');
    return hi * TWO_32 + lo;
  }
  i64(): number | bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  }
  f32(): number {
    this.need(4);
    const v = this.buf.readFloatBE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }
  shortstr(): string {
    const len = this.u8();
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  longstrBytes(): Buffer {
    const len = this.u32();
    this.need(len);
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  longstr(): string {
    const len = this.u32();
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

/** cut text to at most 255 UTF-8 bytes without splitting a character (reply-text is a shortstr) */
export function fitShortstr(text: string): string {
  if (Buffer.byteLength(text) <= 255) return text;
  let out = text.slice(0, 255);
  while (Buffer.byteLength(out) > 255) out = out.slice(0, -1);
  return out;
}

const SLAB = 64 * 1024;

export class Writer {
  buf: Buffer;
  /** start of the region not yet handed out by take() */
  start = 0;
  pos = 0;

  constructor(size = SLAB) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** make room for n more bytes; may move the unflushed region to a fresh slab */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(SLAB, (used + n) * 2));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }
  /** offset relative to the unflushed region start; stays valid across ensure() */
  mark(): number {
    return this.pos - this.start;
  }
  patchU32(mark: number, v: number): void {
    this.buf.writeUInt32BE(v, this.start + mark);
  }
  /** the bytes written since the last take(), as a view the writer never touches again */
  take(): Buffer | null {
    if (this.pos === this.start) return null;
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    if (this.buf.length - this.pos < 512) {
      this.buf = Buffer.allocUnsafe(SLAB);
      this.start = this.pos = 0;
    }
    return out;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }
  i8(v: number): void {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos++);
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.pos);
    this.pos += 2;
  }
  i16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v | 0, this.pos);
    this.pos += 4;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    if (typeof v === 'bigint') {
      this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.pos);
    } else {
      this.buf.writeUInt32BE(Math.floor(v / TWO_32) >>> 0, this.pos);
      this.buf.writeUInt32BE(v >>> 0, this.pos + 4);
    }
    this.pos += 8;
  }
  i64(v: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(v))), this.pos);
    this.pos += 8;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatBE(v, this.pos);
    this.pos += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }
  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }
  shortstr(s: string): void {
    const len = Buffer.byteLength(s);
    if (len > 255) throw new RangeError(`short string longer than 255 bytes: ${s.slice(0, 40)}…`);
    this.ensure(1 + len);
    this.buf[this.pos++] = len;
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }
  longstr(s: string | Buffer): void {
    if (typeof s === 'string') {
      const len = Buffer.byteLength(s);
      this.ensure(4 + len);
      this.buf.writeUInt32BE(len, this.pos);
      this.pos += 4;
      this.pos += this.buf.write(s, this.pos, len, 'utf8');
    } else {
      this.u32(s.length);
      this.bytes(s);
    }
  }
}
