// SaslHandshake (key 17) and SaslAuthenticate (key 36), after Kafka's Sasl*Request/Response.json.
// After a SaslHandshake v0 the SASL tokens travel as bare size-prefixed frames instead of
// SaslAuthenticate requests (librdkafka enables SASL only when the broker's range includes v0).
import { field } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface SaslHandshakeRequest { mechanism: string }
export interface SaslHandshakeResponse { errorCode: number; mechanisms: string[] }
export interface SaslAuthenticateRequest { authBytes: Buffer }
export interface SaslAuthenticateResponse { errorCode: number; errorMessage: string | null; authBytes: Buffer; sessionLifetimeMs: bigint }

export const saslHandshakeSpec: MessageSpec = {
  apiKey: 17,
  name: 'SaslHandshake',
  validVersions: '0-1',
  flexibleVersions: 'none',
  request: [field('mechanism', 'string', '0+')],
  response: [field('errorCode', 'int16', '0+'), field('mechanisms', '[]string', '0+')],
};

export const saslAuthenticateSpec: MessageSpec = {
  apiKey: 36,
  name: 'SaslAuthenticate',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [field('authBytes', 'bytes', '0+')],
  response: [
    field('errorCode', 'int16', '0+'),
    field('errorMessage', 'string', '0+', { nullableVersions: '0+' }),
    field('authBytes', 'bytes', '0+'),
    field('sessionLifetimeMs', 'int64', '1+'),
  ],
};
