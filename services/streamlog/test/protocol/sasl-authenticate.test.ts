import { describe, expect, it } from 'vitest';
import { codec, cstr, decode, encode, hex } from './fixtures.js';

// Annotated byte fixture for SaslAuthenticate (key 36) v2, its flexible version, written by hand after
// Kafka's SaslAuthenticateRequest.json / SaslAuthenticateResponse.json.
describe('SaslAuthenticate (key 36) v2', () => {
  it('request: the token as compact bytes, then the tag byte', () => {
    // a PLAIN token: NUL "u" NUL "pw" (5 bytes, so a compact length of 5 + 1)
    expect(decode(codec('SaslAuthenticate', 2).decodeRequest, hex('06', '00 75 00 7077', '00'))).toEqual({
      value: { authBytes: Buffer.from('\0u\0pw') },
      rest: 0,
    });
  });

  it('response: error, nullable compact message, compact bytes, session lifetime, tag byte', () => {
    const ok = { errorCode: 0, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
    expect(encode(codec('SaslAuthenticate', 2).encodeResponse, ok)).toEqual(
      hex(
        '0000', // ErrorCode none
        '00', // ErrorMessage null: compact length 0
        '01', // AuthBytes empty: compact length 0 + 1
        '0000000000000000', // SessionLifetimeMs 0: no re-authentication deadline
        '00', // tagged fields
      ),
    );
    const failed = { errorCode: 58, errorMessage: 'bad', authBytes: Buffer.from([9]), sessionLifetimeMs: 3600000n };
    expect(encode(codec('SaslAuthenticate', 2).encodeResponse, failed)).toEqual(
      hex('003a', cstr('bad'), '02 09', '000000000036ee80', '00'), // SASL_AUTHENTICATION_FAILED (58), message, one byte, 1 h
    );
  });
});
