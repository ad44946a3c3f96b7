// The one generic encoder and decoder for every API description (./types.ts) and version, flexible
// or not. A description is compiled once per (message, version): each struct becomes one generated
// read and one generated write function (straight-line code, primitives inlined, an object literal of
// fixed shape per decoded struct), so a request costs what a hand-written codec would, not a walk over
// per-field closures with keyed property stores. Arrays and nested structs call the compiled function
// of their element.
import { ProtocolError } from '../primitives/errors.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { inVersions, type FieldSpec, type Primitive } from './types.js';

type Value = unknown;
type Obj = Record<string, Value>;
type ReadFn = (r: Reader) => Value;
type WriteFn = (w: Writer, v: Value) => void;

export interface StructCodec {
  read(r: Reader): Obj;
  write(w: Writer, v: Obj): void;
}

const ZERO_UUID = Buffer.alloc(16);

/** the value a field has in a version it does not exist in (and what an omitted value encodes as) */
export function defaultOf(f: FieldSpec, version: number): Value {
  const nullable = inVersions(f.nullableVersions, version);
  if (f.default !== undefined) {
    if (f.default === null) return null;
    return f.type === 'int64' ? BigInt(f.default as number | string | bigint) : f.default;
  }
  switch (f.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint16':
    case 'uint32':
    case 'float64':
      return 0;
    case 'int64':
      return 0n;
    case 'bool':
      return false;
    case 'string':
      return nullable ? null : '';
    case 'bytes':
      return nullable ? null : Buffer.alloc(0);
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    case 'struct':
      return null;
    default:
      return []; // arrays
  }
}

function primitiveReader(type: Primitive, nullable: boolean, flexible: boolean, name: string): ReadFn {
  switch (type) {
    case 'int8':
      return (r) => r.int8();
    case 'int16':
      return (r) => r.int16();
    case 'int32':
      return (r) => r.int32();
    case 'int64':
      return (r) => r.int64();
    case 'uint16':
      return (r) => r.uint16();
    case 'uint32':
      return (r) => r.uint32();
    case 'float64':
      return (r) => r.float64();
    case 'bool':
      return (r) => r.bool();
    case 'uuid':
      return (r) => r.uuid();
    case 'string':
      if (flexible) return nullable ? (r) => r.compactNullableString() : (r) => r.compactString();
      return nullable ? (r) => r.nullableString() : (r) => r.string();
    case 'bytes':
    case 'records': {
      const read: ReadFn = flexible ? (r) => r.compactNullableBytes() : (r) => r.nullableBytes();
      if (nullable || type === 'records') return read;
      return (r) => {
        const b = read(r);
        if (b === null) throw new ProtocolError(`null where ${name} is required`);
        return b;
      };
    }
  }
}

function primitiveWriter(type: Primitive, flexible: boolean): WriteFn {
  switch (type) {
    case 'int8':
      return (w, v) => w.int8(v as number);
    case 'int16':
      return (w, v) => w.int16(v as number);
    case 'int32':
      return (w, v) => w.int32(v as number);
    case 'int64':
      return (w, v) => w.int64(v as bigint);
    case 'uint16':
      return (w, v) => w.uint16(v as number);
    case 'uint32':
      return (w, v) => w.uint32(v as number);
    case 'float64':
      return (w, v) => w.float64(v as number);
    case 'bool':
      return (w, v) => w.bool(v as boolean);
    case 'uuid':
      return (w, v) => w.uuid(v as Buffer);
    case 'string':
      return flexible ? (w, v) => w.compactNullableString(v as string | null) : (w, v) => w.nullableString(v as string | null);
    case 'bytes':
    case 'records':
      return flexible ? (w, v) => w.compactNullableBytes(v as Buffer | null) : (w, v) => w.nullableBytes(v as Buffer | null);
  }
}

function elementOf(f: FieldSpec): { read: (v: number, flex: boolean) => ReadFn; write: (v: number, flex: boolean) => WriteFn } {
  if (f.type === '[]' || f.type === 'struct') {
    if (!f.fields) throw new Error(`${f.name}: a struct needs fields`);
    const fields = f.fields;
    return {
      read: (v, flex) => {
        const s = compileStruct(fields, v, flex);
        return (r) => s.read(r);
      },
      write: (v, flex) => {
        const s = compileStruct(fields, v, flex);
        return (w, x) => s.write(w, x as Obj);
      },
    };
  }
  const prim = f.type.slice(2) as Primitive;
  return { read: (_v, flex) => primitiveReader(prim, false, flex, f.name), write: (_v, flex) => primitiveWriter(prim, flex) };
}

function fieldReader(f: FieldSpec, version: number, flexible: boolean): ReadFn {
  const nullable = inVersions(f.nullableVersions, version);
  if (f.type === 'struct') {
    const s = compileStruct(f.fields ?? [], version, flexible);
    return (r) => s.read(r);
  }
  if (!f.type.startsWith('[]')) return primitiveReader(f.type as Primitive, nullable, flexible, f.name);
  const item = elementOf(f).read(version, flexible);
  if (flexible) {
    return (r) => {
      const a = r.compactNullableArray(item);
      if (a === null && !nullable) throw new ProtocolError(`null where the array ${f.name} is required`);
      return a;
    };
  }
  return nullable ? (r) => r.nullableArray(item) : (r) => r.array(item);
}

function fieldWriter(f: FieldSpec, version: number, flexible: boolean): WriteFn {
  if (f.type === 'struct') {
    const s = compileStruct(f.fields ?? [], version, flexible);
    return (w, v) => s.write(w, (v ?? {}) as Obj);
  }
  if (!f.type.startsWith('[]')) {
    const write = primitiveWriter(f.type as Primitive, flexible);
    if (f.type === 'string' && !inVersions(f.nullableVersions, version)) return (w, v) => write(w, v ?? '');
    return write;
  }
  const item = elementOf(f).write(version, flexible);
  const nullable = inVersions(f.nullableVersions, version);
  if (flexible) return (w, v) => w.compactNullableArray(v === null && !nullable ? [] : (v as Value[] | null), item);
  return (w, v) => w.nullableArray(v === null && !nullable ? [] : (v as Value[] | null), item);
}

function isDefault(v: Value, d: Value): boolean {
  if (v === d) return true;
  if (Array.isArray(v)) return v.length === 0 && Array.isArray(d) && d.length === 0;
  if (Buffer.isBuffer(v) && Buffer.isBuffer(d)) return v.equals(d);
  return false;
}

const structCache = new WeakMap<FieldSpec[], Map<string, StructCodec>>();

/** compile a list of fields for one version (cached per description and version) */
export function compileStruct(fields: FieldSpec[], version: number, flexible: boolean): StructCodec {
  let byVersion = structCache.get(fields);
  if (!byVersion) structCache.set(fields, (byVersion = new Map()));
  const key = `${version}${flexible ? 'f' : ''}`;
  const cached = byVersion.get(key);
  if (cached) return cached;

  const present = fields.filter((f) => inVersions(f.versions, version));
  const isTagged = (f: FieldSpec) => flexible && inVersions(f.taggedVersions, version);
  const regular = present.filter((f) => !isTagged(f));
  const tagged = present.filter(isTagged);
  const absent = fields.filter((f) => !present.includes(f)).map((f) => ({ name: f.name, value: defaultOf(f, version) }));
  const readers = regular.map((f) => ({ name: f.name, read: fieldReader(f, version, flexible) }));
  const writers = regular.map((f) => ({ name: f.name, write: fieldWriter(f, version, flexible), fallback: defaultOf(f, version) }));
  const taggedFields = tagged
    .map((f) => {
      if (f.tag === undefined) throw new Error(`${f.name}: a tagged field needs a tag`);
      return { tag: f.tag, name: f.name, read: fieldReader(f, version, flexible), write: fieldWriter(f, version, flexible), fallback: defaultOf(f, version) };
    })
    .sort((a, b) => a.tag - b.tag);
  const taggedByTag = new Map(taggedFields.map((t) => [t.tag, t]));

  const codec: StructCodec = {
    read: generateRead(regular, version, flexible, readers, absent, taggedFields, taggedByTag),
    write: generateWrite(regular, version, flexible, writers, taggedFields),
  };
  byVersion.set(key, codec);
  return codec;
}

/** fixed-width types whose Reader and Writer methods carry the type's own name */
const SCALAR_TYPES = new Set<string>(['int8', 'int16', 'int32', 'int64', 'uint16', 'uint32', 'float64', 'bool', 'uuid']);

/** the Reader call that reads a field inline, or null when its compiled closure must be called */
function inlineRead(f: FieldSpec, version: number, flexible: boolean): string | null {
  if (SCALAR_TYPES.has(f.type)) return `r.${f.type}()`;
  const nullable = inVersions(f.nullableVersions, version);
  switch (f.type) {
    case 'string':
      if (flexible) return nullable ? 'r.compactNullableString()' : 'r.compactString()';
      return nullable ? 'r.nullableString()' : 'r.string()';
    case 'records':
      return flexible ? 'r.compactNullableBytes()' : 'r.nullableBytes()';
    case 'bytes':
      if (!nullable) return null; // the closure refuses a null
      return flexible ? 'r.compactNullableBytes()' : 'r.nullableBytes()';
    default:
      return null;
  }
}

/** the Writer call that writes value `x` of a field inline, or null when its compiled closure must be called */
function inlineWrite(f: FieldSpec, version: number, flexible: boolean): string | null {
  if (SCALAR_TYPES.has(f.type)) return `w.${f.type}(x)`;
  switch (f.type) {
    case 'string': {
      const value = inVersions(f.nullableVersions, version) ? 'x' : "(x ?? '')";
      return flexible ? `w.compactNullableString(${value})` : `w.nullableString(${value})`;
    }
    case 'bytes':
    case 'records':
      return flexible ? 'w.compactNullableBytes(x)' : 'w.nullableBytes(x)';
    default:
      return null;
  }
}

// The generated code only ever contains field names from our own descriptions (quoted with
// JSON.stringify) and indexes into the arrays passed in; nothing from a request reaches it.
function generateRead(
  regular: FieldSpec[],
  version: number,
  flexible: boolean,
  readers: { name: string; read: ReadFn }[],
  absent: { name: string; value: Value }[],
  tagged: { name: string; fallback: Value }[],
  taggedByTag: ReadonlyMap<number, { name: string; read: ReadFn }>,
): (r: Reader) => Obj {
  const props: string[] = [];
  regular.forEach((f, i) => props.push(`${JSON.stringify(f.name)}: ${inlineRead(f, version, flexible) ?? `H[${i}](r)`}`));
  absent.forEach((a, i) => props.push(`${JSON.stringify(a.name)}: A[${i}]`));
  if (flexible) tagged.forEach((t, i) => props.push(`${JSON.stringify(t.name)}: T[${i}]`));
  // an object literal evaluates its values left to right: the fields are read in wire order
  const body = `return function read(r) {\n  const o = {\n    ${props.join(',\n    ')}\n  };\n${flexible ? '  readTaggedFields(r, byTag, o);\n' : ''}  return o;\n};`;
  return new Function('H', 'A', 'T', 'byTag', 'readTaggedFields', body)(
    readers.map((x) => x.read),
    absent.map((a) => a.value),
    tagged.map((t) => t.fallback),
    taggedByTag,
    readTaggedFields,
  ) as (r: Reader) => Obj;
}

function generateWrite(
  regular: FieldSpec[],
  version: number,
  flexible: boolean,
  writers: { name: string; write: WriteFn; fallback: Value }[],
  tagged: { tag: number; name: string; write: WriteFn; fallback: Value }[],
): (w: Writer, v: Obj) => void {
  const lines = regular.map((f, i) => {
    const call = inlineWrite(f, version, flexible) ?? `W[${i}](w, x)`;
    return `  x = v[${JSON.stringify(f.name)}];\n  if (x === undefined) x = F[${i}];\n  ${call};`;
  });
  const body = `return function write(w, v) {\n  let x;\n${lines.join('\n')}\n${flexible ? '  writeTaggedFields(w, tagged, v);\n' : ''}};`;
  return new Function('W', 'F', 'tagged', 'writeTaggedFields', body)(
    writers.map((x) => x.write),
    writers.map((x) => x.fallback),
    tagged,
    writeTaggedFields,
  ) as (w: Writer, v: Obj) => void;
}

/** the tagged-field section that ends every flexible struct; unknown tags are skipped, as KIP-482 asks */
export function readTaggedFields(r: Reader, known: ReadonlyMap<number, { name: string; read: ReadFn }> | null, into: Obj | null): void {
  const count = r.uvarint();
  let lastTag = -1;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    if (tag <= lastTag) throw new ProtocolError(`tagged fields out of order (tag ${tag} after ${lastTag})`);
    lastTag = tag;
    const size = r.uvarint();
    const field = known?.get(tag);
    if (field && into) {
      const sub = new Reader(r.buf, r.offset, r.offset + size);
      if (size > r.remaining) throw new ProtocolError(`tagged field ${tag} of ${size} bytes exceeds remaining ${r.remaining}`);
      into[field.name] = field.read(sub);
    }
    r.skip(size, `tagged field ${tag}`);
  }
}

function writeTaggedFields(w: Writer, fields: { tag: number; name: string; write: WriteFn; fallback: Value }[], v: Obj): void {
  const set = fields.filter((f) => v[f.name] !== undefined && !isDefault(v[f.name], f.fallback));
  w.uvarint(set.length);
  for (const f of set) {
    const body = new Writer(32);
    f.write(body, v[f.name]);
    const bytes = body.toBuffer();
    w.uvarint(f.tag).uvarint(bytes.length).raw(bytes);
  }
}
