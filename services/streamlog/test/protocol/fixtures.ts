import { createRequire } from 'node:module';
import { specByName } from '../../src/protocol/messages/index.js';
import { messageCodec, type Codec } from '../../src/protocol/schema/message.js';
import { Reader } from '../../src/protocol/primitives/reader.js';
import { Writer } from '../../src/protocol/primitives/writer.js';

/** hex fixture written field by field with spaces and `|` between fields for readability */
export const hex = (...parts: string[]): Buffer => Buffer.from(parts.join('').replace(/[\s|]/g, ''), 'hex');

export const str = (s: string): string => Buffer.byteLength(s).toString(16).padStart(4, '0') + Buffer.from(s).toString('hex');

/** a compact string (KIP-482): unsigned varint length + 1, then the bytes (one varint byte, so lengths < 127) */
export const cstr = (s: string): string => {
  if (Buffer.byteLength(s) >= 127) throw new Error('cstr writes a one-byte varint length only');
  return (Buffer.byteLength(s) + 1).toString(16).padStart(2, '0') + Buffer.from(s).toString('hex');
};

export function encode<T>(encodeResponse: (w: Writer, v: T) => void, value: T): Buffer {
  const w = new Writer(16);
  encodeResponse(w, value);
  return w.toBuffer();
}

export function decode<T>(decodeRequest: (r: Reader) => T, bytes: Buffer): { value: T; rest: number } {
  const r = new Reader(bytes);
  const value = decodeRequest(r);
  return { value, rest: r.remaining };
}

const require = createRequire(import.meta.url);

/** kafkajs's own codec for (api, version): an independent implementation to cross-check ours */
export function kafkajsProtocol(api: string, version: number): {
  request: (args: Record<string, unknown>) => { encode(): Promise<{ buffer: Buffer }> };
  response: { decode(raw: Buffer): Promise<Record<string, unknown>>; parse(data: unknown): Promise<Record<string, unknown>> };
} {
  return {
    request: require(`kafkajs/src/protocol/requests/${api}/v${version}/request`),
    response: require(`kafkajs/src/protocol/requests/${api}/v${version}/response`),
  };
}

/** the body kafkajs would send for a request (its encoder writes no header) */
export async function kafkajsRequestBody(api: string, version: number, args: Record<string, unknown>): Promise<Buffer> {
  const req = kafkajsProtocol(api, version).request(args);
  return (await req.encode()).buffer;
}

/** our codec for (api, version), from its description */
export function codec<Req = any, Res = any>(api: string, version: number): Codec<Req, Res> {
  const spec = specByName.get(api);
  if (!spec) throw new Error(`no description for ${api}`);
  return messageCodec<Req, Res>(spec, version);
}
