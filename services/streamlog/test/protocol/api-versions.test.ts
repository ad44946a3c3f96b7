import { describe, expect, it } from 'vitest';
import { advertisedApiVersions } from '../../src/protocol/supported-apis.js';
import { decode, encode, hex, kafkajsProtocol } from './fixtures.js';
import { codec } from './fixtures.js';

const v0 = codec('ApiVersions', 0);
const v2 = codec('ApiVersions', 2);

describe('ApiVersions codec', () => {
  it('v2 request has an empty body', () => {
    expect(decode(v2.decodeRequest, Buffer.alloc(0))).toEqual({ value: { clientSoftwareName: '', clientSoftwareVersion: '' }, rest: 0 });
  });

  it('v2 response matches the spec byte for byte', () => {
    const bytes = encode(v2.encodeResponse, {
      errorCode: 0,
      apiKeys: [
        { apiKey: 0, minVersion: 3, maxVersion: 7 },
        { apiKey: 18, minVersion: 0, maxVersion: 2 },
      ],
      throttleTimeMs: 0,
    });
    expect(bytes).toEqual(
      hex(
        '0000', // error_code
        '00000002', // api_keys count
        '0000 0003 0007', // Produce 3..7
        '0012 0000 0002', // ApiVersions 0..2
        '00000000', // throttle_time_ms
      ),
    );
  });

  it('v0 response (also the UNSUPPORTED_VERSION answer) has no throttle time', () => {
    const bytes = encode(v0.encodeResponse, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }] });
    expect(bytes).toEqual(hex('0023', '00000001', '0012 0000 0002'));
  });

  it('kafkajs decodes what we advertise', async () => {
    const bytes = encode(v2.encodeResponse, { errorCode: 0, apiKeys: advertisedApiVersions, throttleTimeMs: 0 });
    const decoded = (await kafkajsProtocol('apiVersions', 2).response.decode(bytes)) as { apiVersions: { apiKey: number; maxVersion: number }[] };
    const max = new Map(decoded.apiVersions.map((a) => [a.apiKey, a.maxVersion]));
    expect(max.get(0)).toBe(9); // Produce
    expect(max.get(1)).toBe(16); // Fetch
    expect(max.get(3)).toBe(12); // Metadata
    expect(max.get(11)).toBe(9); // JoinGroup
    expect(max.get(24)).toBe(3); // AddPartitionsToTxn
    expect(max.get(25)).toBe(3); // AddOffsetsToTxn
    expect(max.get(26)).toBe(3); // EndTxn
    expect(max.get(28)).toBe(3); // TxnOffsetCommit
    expect(decoded.apiVersions).toHaveLength(32);
  });
});
