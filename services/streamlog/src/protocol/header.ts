import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';

/** Request header v1: every non-flexible request version uses it. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export function decodeRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  return { apiKey, apiVersion, correlationId, clientId };
}

export function encodeRequestHeader(w: Writer, h: RequestHeader): Writer {
  return w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId).nullableString(h.clientId);
}

/** Response header v0: just the correlation id. Starts a response writer. */
export function responseWriter(correlationId: number, sizeHint = 256): Writer {
  return new Writer(sizeHint).int32(correlationId);
}
