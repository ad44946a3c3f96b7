import { Reader } from '../protocol/primitives/reader.js';
import { decodeRequestHeader } from '../protocol/header.js';
import { responseWriter } from '../protocol/header.js';
import { ApiKey, apiNameByKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { advertisedApiVersions } from '../protocol/supported-apis.js';
import { messageCodec } from '../protocol/schema/message.js';
import { apiVersionsSpec } from '../protocol/messages/api-versions.js';
import { readTaggedFields } from '../protocol/schema/codec.js';
import { apisByKey } from './apis.js';
import { handleRawSaslToken, SaslFailure } from './handlers/sasl.js';
import type { BrokerContext, ConnectionInfo } from './context.js';

/** The request cannot be answered within the protocol; the connection is closed with this reason. */
export class ConnectionRejected extends Error {
  constructor(message: string, readonly kind: 'protocol' | 'auth') {
    super(message);
    this.name = 'ConnectionRejected';
  }
}

/**
 * Decode one frame, run its handler and encode the answer (a complete frame with size prefix), or
 * null when the request expects no answer. Throws ProtocolError / ConnectionRejected for bytes that
 * must close the connection.
 */
export async function dispatchFrame(ctx: BrokerContext, conn: ConnectionInfo, frame: Buffer): Promise<Buffer | null> {
  if (conn.rawSaslTokenExpected) {
    try {
      return handleRawSaslToken(ctx, conn, frame);
    } catch (err) {
      if (err instanceof SaslFailure) throw new ConnectionRejected(err.message, 'auth');
      throw err;
    }
  }
  const r = new Reader(frame);
  const header = decodeRequestHeader(r);
  const api = apisByKey.get(header.apiKey);
  if (!api) {
    throw new ConnectionRejected(`unknown API key ${header.apiKey} (version ${header.apiVersion})`, 'protocol');
  }
  const codec = api.codec(header.apiVersion);
  if (!codec) {
    if (header.apiKey === ApiKey.ApiVersions) {
      // Kafka's answer to a too-new ApiVersions: v0 layout, UNSUPPORTED_VERSION, and the list to pick from
      const w = responseWriter(header.correlationId);
      messageCodec(apiVersionsSpec, 0).encodeResponse(w, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: advertisedApiVersions });
      return w.toFrame();
    }
    throw new ConnectionRejected(`${api.name} version ${header.apiVersion} is not supported (only v${api.min} to v${api.max})`, 'protocol');
  }
  // request header v2 (flexible versions) ends with tagged fields; none are known to us
  if (codec.flexible) readTaggedFields(r, null, null);
  if (ctx.config.saslUsers !== null && conn.authenticatedAs === null && !api.beforeAuth) {
    throw new ConnectionRejected(`${api.name} before SASL authentication`, 'auth');
  }
  const req = codec.decodeRequest(r);
  ctx.metrics.requests.inc({ api: apiNameByKey.get(header.apiKey) ?? String(header.apiKey) });
  const res = await api.handle(ctx, conn, header, req);
  if (res === null) return null;
  const w = responseWriter(header.correlationId);
  // response header v1 (flexible versions) adds an empty tagged-field section, except for
  // ApiVersions, whose answer a client must be able to read before it knows what we speak
  if (codec.flexible && header.apiKey !== ApiKey.ApiVersions) w.uvarint(0);
  codec.encodeResponse(w, res);
  return w.toFrame();
}
