import { timingSafeEqual } from 'node:crypto';
import type { BrokerContext, ConnectionInfo } from '../context.js';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from '../../protocol/messages/sasl.js';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from '../../protocol/messages/sasl.js';
import { ErrorCode } from '../../protocol/error-codes.js';

const MECHANISMS = ['PLAIN'];

export function handleSaslHandshake(ctx: BrokerContext, conn: ConnectionInfo, req: SaslHandshakeRequest, version: number): SaslHandshakeResponse {
  if (ctx.config.saslUsers === null) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
  if (conn.authenticatedAs !== null) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: MECHANISMS };
  if (!MECHANISMS.includes(req.mechanism)) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: MECHANISMS };
  conn.saslMechanism = req.mechanism;
  conn.rawSaslTokenExpected = version === 0;
  return { errorCode: ErrorCode.NONE, mechanisms: MECHANISMS };
}

/** PLAIN message (RFC 4616): [authzid] NUL authcid NUL passwd */
export function parsePlain(bytes: Buffer): { user: string; password: string } | null {
  const parts = bytes.toString('utf8').split('\0');
  if (parts.length !== 3 || parts[1] === '') return null;
  return { user: parts[1], password: parts[2] };
}

function samePassword(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** check PLAIN credentials; on success the connection is authenticated, else an error message */
function authenticate(ctx: BrokerContext, conn: ConnectionInfo, token: Buffer): string | null {
  const creds = parsePlain(token);
  const expected = creds ? ctx.config.saslUsers?.get(creds.user) : undefined;
  if (!creds || expected === undefined || !samePassword(creds.password, expected)) {
    return `SASL authentication failed${creds ? ` for user '${creds.user}'` : ''}`;
  }
  conn.authenticatedAs = creds.user;
  ctx.log.info({ connection: conn.id, user: creds.user }, 'client authenticated');
  return null;
}

/**
 * The bare token that follows a SaslHandshake v0: answered with an empty token frame on success;
 * on failure the connection is closed (that is how Kafka signals it in this legacy flow).
 */
export function handleRawSaslToken(ctx: BrokerContext, conn: ConnectionInfo, token: Buffer): Buffer {
  conn.rawSaslTokenExpected = false;
  const failure = authenticate(ctx, conn, token);
  if (failure) throw new SaslFailure(failure);
  return Buffer.alloc(4); // size 0: an empty server token
}

export class SaslFailure extends Error {}

export function handleSaslAuthenticate(ctx: BrokerContext, conn: ConnectionInfo, req: SaslAuthenticateRequest): SaslAuthenticateResponse {
  const reply = (errorCode: number, errorMessage: string | null): SaslAuthenticateResponse => ({ errorCode, errorMessage, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n });
  const users = ctx.config.saslUsers;
  if (users === null || conn.saslMechanism === null || conn.authenticatedAs !== null || conn.rawSaslTokenExpected) {
    conn.closeAfterResponse('SaslAuthenticate out of sequence');
    return reply(ErrorCode.ILLEGAL_SASL_STATE, 'SaslHandshake must come first, once per connection');
  }
  const failure = authenticate(ctx, conn, req.authBytes);
  if (failure) {
    conn.closeAfterResponse(failure);
    return reply(ErrorCode.SASL_AUTHENTICATION_FAILED, 'Authentication failed: Invalid username or password');
  }
  return reply(ErrorCode.NONE, null);
}
