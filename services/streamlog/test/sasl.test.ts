import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { rawConnect } from './helpers/raw-client.js';
import { ApiKey } from '../src/protocol/api-keys.js';

describe('SASL/PLAIN', () => {
  const broker = useTestBroker({ saslUsers: { alice: 'wonderland', bob: 'builder' } });

  const client = (username: string, password: string) =>
    new Kafka({ brokers: [broker().brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism: 'plain', username, password } });

  it('lets a user with the right password produce and list topics', async () => {
    const admin = client('alice', 'wonderland').admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'secure' }] });
      expect(await admin.listTopics()).toContain('secure');
    } finally {
      await admin.disconnect();
    }
  });

  it('rejects a wrong password', async () => {
    const admin = client('alice', 'guess').admin();
    await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await admin.disconnect();
  });

  it('accepts the legacy flow: SaslHandshake v0 then a bare PLAIN token', async () => {
    const good = await rawConnect(broker().port);
    try {
      const handshake = await good.request(ApiKey.SaslHandshake, 0, Buffer.from([0, 5, ...Buffer.from('PLAIN')]));
      expect(handshake.readInt16BE(0)).toBe(0);
      const token = Buffer.from('\0bob\0builder');
      good.write(Buffer.concat([Buffer.from([0, 0, 0, token.length]), token]));
      await waitFor(() => good.bareFrames.length === 1, 5_000, 'empty server token');
      expect(good.bareFrames[0]).toEqual(Buffer.alloc(0));
      // authenticated: Metadata now works on this connection
      const meta = await good.request(ApiKey.Metadata, 6, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]));
      expect(meta.readInt32BE(4)).toBe(1); // one broker
    } finally {
      good.destroy();
    }
    const bad = await rawConnect(broker().port);
    await bad.request(ApiKey.SaslHandshake, 0, Buffer.from([0, 5, ...Buffer.from('PLAIN')]));
    const token = Buffer.from('\0bob\0wrong');
    bad.write(Buffer.concat([Buffer.from([0, 0, 0, token.length]), token]));
    await bad.closed;
    expect(bad.bareFrames).toEqual([]);
  });

  it('closes an unauthenticated connection that asks for anything but ApiVersions or the handshake', async () => {
    const raw = await rawConnect(broker().port);
    try {
      const versions = await raw.request(ApiKey.ApiVersions, 2, Buffer.alloc(0));
      expect(versions.readInt16BE(0)).toBe(0);
      // Metadata v6 for all topics, before authenticating
      raw.send(ApiKey.Metadata, 6, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01]));
      await raw.closed;
    } finally {
      raw.destroy();
    }
  });
});
