import type { Reader } from '../primitives/reader.js';
import type { Writer } from '../primitives/writer.js';
import { compileStruct } from './codec.js';
import { inVersions, parseVersions, type FieldSpec, type MessageSpec, type Versions } from './types.js';

/** Request and response codec of one API version; both directions, so tests and tools can play client. */
export interface Codec<Req = unknown, Res = unknown> {
  readonly version: number;
  /** compact types, tagged fields, and request header v2 / response header v1 */
  readonly flexible: boolean;
  decodeRequest(r: Reader): Req;
  encodeRequest(w: Writer, req: Req): void;
  decodeResponse(r: Reader): Res;
  encodeResponse(w: Writer, res: Res): void;
}

const codecCache = new WeakMap<MessageSpec, Map<number, Codec>>();

export function messageCodec<Req, Res>(spec: MessageSpec, version: number): Codec<Req, Res> {
  let byVersion = codecCache.get(spec);
  if (!byVersion) codecCache.set(spec, (byVersion = new Map()));
  const cached = byVersion.get(version);
  if (cached) return cached as Codec<Req, Res>;
  if (!inVersions(spec.validVersions, version)) throw new Error(`${spec.name} v${version} is not described`);
  const flexible = inVersions(spec.flexibleVersions, version);
  const req = compileStruct(spec.request, version, flexible);
  const res = compileStruct(spec.response, version, flexible);
  const codec: Codec = {
    version,
    flexible,
    decodeRequest: (r) => req.read(r),
    encodeRequest: (w, v) => req.write(w, v as Record<string, unknown>),
    decodeResponse: (r) => res.read(r),
    encodeResponse: (w, v) => res.write(w, v as Record<string, unknown>),
  };
  byVersion.set(version, codec);
  return codec as Codec<Req, Res>;
}

export function versionRange(spec: MessageSpec): { min: number; max: number } {
  return parseVersions(spec.validVersions);
}

/** shorthand for descriptions: field(name, type, versions, extras) */
export function field(name: string, type: FieldSpec['type'], versions: Versions, extra: Omit<FieldSpec, 'name' | 'type' | 'versions'> = {}): FieldSpec {
  return { name, type, versions, ...extra };
}

export function struct(name: string, versions: Versions, fields: FieldSpec[], extra: Omit<FieldSpec, 'name' | 'type' | 'versions' | 'fields'> = {}): FieldSpec {
  return { name, type: '[]', versions, fields, ...extra };
}
