// AMQP field tables and arrays with the value types RabbitMQ uses (its errata, not the 0-9-1 XML:
// 's' is a signed 16-bit int, 'l' a signed 64-bit int, 'x' a byte array, 'u' unused in practice).
// Decoding favours plain JS values (integers → number, 'S' → string); types a plain value cannot
// carry back unchanged (float, double, decimal) come back as tagged objects so re-encoding a
// message's headers keeps their wire type. A queue's declare arguments are read with their integer
// wire types kept too (`typedIntegers`): RabbitMQ names the type in "inequivalent arg" errors
// ("current is the value '5' of type 'signedint'"), and a plain number cannot say which it was.
import type { FieldTable, FieldValue } from '../broker/contract.js';
import { Reader, Writer, syntaxError } from './buffers.js';

const MAX_DEPTH = 64;

export interface ReadOptions {
  /** integers come back tagged with their wire type ({ type: 'int', value: 5 }), top level only */
  typedIntegers?: boolean;
}

export function readTable(r: Reader, depth = 0, options: ReadOptions = {}): FieldTable {
  const len = r.u32();
  if (len > r.remaining) throw syntaxError('field table length exceeds payload');
  const end = r.pos + len;
  const table: FieldTable = {};
  const outerEnd = r.end;
  r.end = end;
  try {
    while (r.pos < end) {
      const key = r.shortstr();
      table[key] = options.typedIntegers ? readTypedValue(r, depth + 1) : readValue(r, depth + 1);
    }
  } finally {
    r.end = outerEnd;
  }
  return table;
}

/** AMQPLAIN's response is a table without its length prefix */
export function readTableBody(buf: Buffer): FieldTable {
  const r = new Reader(buf, 0, buf.length);
  const table: FieldTable = {};
  while (r.pos < r.end) {
    const key = r.shortstr();
    table[key] = readValue(r, 1);
  }
  return table;
}

function readArray(r: Reader, depth: number): FieldValue[] {
  const len = r.u32();
  if (len > r.remaining) throw syntaxError('field array length exceeds payload');
  const end = r.pos + len;
  const out: FieldValue[] = [];
  const outerEnd = r.end;
  r.end = end;
  try {
    while (r.pos < end) out.push(readValue(r, depth + 1));
  } finally {
    r.end = outerEnd;
  }
  return out;
}

const INTEGER_TAGS: Record<number, 'byte' | 'unsignedbyte' | 'short' | 'unsignedshort' | 'int' | 'unsigned' | 'long'> = {
  0x62: 'byte', 0x42: 'unsignedbyte', 0x73: 'short', 0x75: 'unsignedshort', 0x49: 'int', 0x69: 'unsigned', 0x6c: 'long', 0x4c: 'long',
};

/** one value, an integer tagged with its wire type */
function readTypedValue(r: Reader, depth: number): FieldValue {
  const tag = INTEGER_TAGS[r.buf[r.pos]!];
  const v = readValue(r, depth);
  return tag === undefined ? v : { type: tag, value: v as number | bigint };
}

export function readValue(r: Reader, depth: number): FieldValue {
  if (depth > MAX_DEPTH) throw syntaxError('field table nested too deeply');
  const type = r.u8();
  switch (type) {
    case 0x74 /* t */:
      return r.u8() !== 0;
    case 0x62 /* b */:
      return r.i8();
    case 0x42 /* B */:
      return r.u8();
    case 0x73 /* s */:
      return r.i16();
    case 0x75 /* u */:
      return r.u16();
    case 0x49 /* I */:
      return r.i32();
    case 0x69 /* i */:
      return r.u32();
    case 0x6c /* l */:
    case 0x4c /* L */:
      return r.i64();
    case 0x66 /* f */:
      return { type: 'float', value: r.f32() };
    case 0x64 /* d */:
      return { type: 'double', value: r.f64() };
    case 0x44 /* D */: {
      const scale = r.u8();
      return { type: 'decimal', scale, value: r.u32() };
    }
    case 0x53 /* S */:
      return r.longstr();
    case 0x78 /* x */:
      return Buffer.from(r.longstrBytes());
    case 0x41 /* A */:
      return readArray(r, depth);
    case 0x54 /* T */: {
      const secs = r.u64();
      return new Date(Number(secs) * 1000);
    }
    case 0x46 /* F */:
      return readTable(r, depth);
    case 0x56 /* V */:
      return null;
    default:
      throw syntaxError(`unknown field value type 0x${type.toString(16)}`);
  }
}

export function writeTable(w: Writer, table: FieldTable | undefined | null): void {
  w.ensure(4);
  const at = w.mark();
  w.pos += 4;
  if (table) {
    for (const key in table) {
      const v = table[key];
      if (v === undefined) continue;
      w.shortstr(key);
      writeValue(w, v);
    }
  }
  w.patchU32(at, w.mark() - at - 4);
}

function writeArray(w: Writer, arr: FieldValue[]): void {
  w.ensure(4);
  const at = w.mark();
  w.pos += 4;
  for (const v of arr) writeValue(w, v === undefined ? null : v);
  w.patchU32(at, w.mark() - at - 4);
}

export function writeValue(w: Writer, v: FieldValue): void {
  switch (typeof v) {
    case 'string':
      w.u8(0x53);
      w.longstr(v);
      return;
    case 'boolean':
      w.u8(0x74);
      w.u8(v ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(v)) {
        if (v >= -2147483648 && v <= 2147483647) {
          w.u8(0x49);
          w.i32(v);
        } else {
          w.u8(0x6c);
          w.i64(v);
        }
      } else {
        w.u8(0x64);
        w.f64(v);
      }
      return;
    case 'bigint':
      w.u8(0x6c);
      w.i64(v);
      return;
    case 'object':
      break;
    default:
      w.u8(0x56);
      return;
  }
  if (v === null) {
    w.u8(0x56);
  } else if (Buffer.isBuffer(v)) {
    w.u8(0x78);
    w.longstr(v);
  } else if (v instanceof Date) {
    w.u8(0x54);
    w.u64(Math.floor(v.getTime() / 1000));
  } else if (Array.isArray(v)) {
    w.u8(0x41);
    writeArray(w, v);
  } else if (isTagged(v)) {
    writeTagged(w, v);
  } else {
    w.u8(0x46);
    writeTable(w, v as FieldTable);
  }
}

type Tagged = Extract<FieldValue, { type: string }>;
const TAGS = new Set(['decimal', 'float', 'double', 'byte', 'unsignedbyte', 'short', 'unsignedshort', 'int', 'long', 'unsigned']);

function isTagged(v: object): v is Tagged {
  const t = (v as { type?: unknown }).type;
  return typeof t === 'string' && TAGS.has(t) && 'value' in v && Object.keys(v).length <= 3;
}

function writeTagged(w: Writer, v: Tagged): void {
  const n = v.value;
  switch (v.type) {
    case 'decimal':
      w.u8(0x44);
      w.u8(v.scale);
      w.u32(Number(n));
      return;
    case 'float':
      w.u8(0x66);
      w.f32(Number(n));
      return;
    case 'double':
      w.u8(0x64);
      w.f64(Number(n));
      return;
    case 'byte':
      w.u8(0x62);
      w.i8(Number(n));
      return;
    case 'unsignedbyte':
      w.u8(0x42);
      w.u8(Number(n));
      return;
    case 'short':
      w.u8(0x73);
      w.i16(Number(n));
      return;
    case 'unsignedshort':
      w.u8(0x75);
      w.u16(Number(n));
      return;
    case 'int':
      w.u8(0x49);
      w.i32(Number(n));
      return;
    case 'unsigned':
      w.u8(0x69);
      w.u32(Number(n));
      return;
    case 'long':
    default:
      w.u8(0x6c);
      w.i64(n);
      return;
  }
}
