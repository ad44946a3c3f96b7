// The shape of an API description, after Kafka's message specs (apache/kafka
// clients/src/main/resources/common/message/*.json, KIP-482 for flexible versions): every field has a
// type and the versions it exists in; flexible versions use compact strings/arrays/bytes and end
// every struct with tagged fields. Our descriptions use camelCase names of our own choosing.

/** "3+", "0-5", "4" or "none", as in Kafka's specs */
export type Versions = string;

export type Primitive = 'int8' | 'int16' | 'int32' | 'int64' | 'uint16' | 'uint32' | 'float64' | 'bool' | 'string' | 'bytes' | 'records' | 'uuid';

export interface FieldSpec {
  name: string;
  /** a primitive, "[]primitive", or "[]" with `fields` (an array of structs), or "struct" with `fields` */
  type: Primitive | `[]${Primitive}` | '[]' | 'struct';
  versions: Versions;
  nullableVersions?: Versions;
  /** present only as a tagged field in these (flexible) versions */
  taggedVersions?: Versions;
  tag?: number;
  /** value when absent from a version (otherwise 0, false, '', [] or null for nullable) */
  default?: unknown;
  fields?: FieldSpec[];
}

export interface MessageSpec {
  apiKey: number;
  name: string;
  /** versions this broker implements */
  validVersions: Versions;
  flexibleVersions: Versions;
  request: FieldSpec[];
  response: FieldSpec[];
}

export interface VersionRange {
  min: number;
  max: number;
}

export function parseVersions(v: Versions): VersionRange {
  if (v === 'none') return { min: 1, max: 0 };
  const plus = /^(\d+)\+$/.exec(v);
  if (plus) return { min: Number(plus[1]), max: Number.MAX_SAFE_INTEGER };
  const range = /^(\d+)-(\d+)$/.exec(v);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (/^\d+$/.test(v)) return { min: Number(v), max: Number(v) };
  throw new Error(`bad version range "${v}"`);
}

export function inVersions(v: Versions | undefined, version: number): boolean {
  if (v === undefined) return false;
  const r = parseVersions(v);
  return version >= r.min && version <= r.max;
}
