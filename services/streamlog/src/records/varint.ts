// Kafka's varint/varlong: zigzag-encoded, 7 bits per byte, least significant group first.
// Values are JS numbers: record fields (lengths, deltas) fit in 53 bits in every real batch.

/** bytes needed to write `value` as a zigzag varint (int32 range) */
export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (v >= 0x80) {
    v >>>= 7;
    size++;
  }
  return size;
}

/** writes a zigzag varint (int32 range) at `pos`, returns the position after it */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** bytes needed for a zigzag varlong; exact for |value| < 2^53 */
export function sizeOfVarlong(value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

/** writes a zigzag varlong (|value| < 2^53) at `pos`, returns the position after it */
export function writeVarlong(buf: Buffer, pos: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return writeVarint(buf, pos, value);
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/** Reader state for varint decoding without allocating a result object per call. */
export class VarintReader {
  pos = 0;
  constructor(
    public buf: Buffer,
    pos = 0,
    /** exclusive bound; reads past it throw */
    public end = buf.length,
  ) {
    this.pos = pos;
  }

  /** zigzag varint, int32 range */
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new RangeError('varint runs past the end of the batch');
      const b = this.buf[this.pos++];
      if (shift < 28) result |= (b & 0x7f) << shift;
      else if (shift === 28) result |= (b & 0x0f) << 28;
      else throw new RangeError('varint longer than 5 bytes');
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    return (result >>> 1) ^ -(result & 1);
  }

  /** zigzag varlong as a JS number (exact below 2^53) */
  varlong(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) throw new RangeError('varlong runs past the end of the batch');
      if (i >= 10) throw new RangeError('varlong longer than 10 bytes');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
    }
    // zigzag decode on a non-negative double
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  /** bytes prefixed by a varint length; -1 = null. Returns a view, not a copy. */
  bytes(): Buffer | null {
    const len = this.varint();
    if (len < 0) return null;
    if (this.pos + len > this.end) throw new RangeError('field runs past the end of the batch');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
}
