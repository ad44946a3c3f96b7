import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestBroker } from './helpers/broker.js';
import { consumeAll, quickGroup } from './helpers/consume.js';

const run = promisify(execFile);
const hasKcat = spawnSync('kcat', ['-V']).status === 0;

/** kcat (librdkafka) as a second, independent Kafka client */
describe.skipIf(!hasKcat)('kcat against streamlog', () => {
  const broker = useTestBroker();

  const kcat = async (args: string[], input?: string): Promise<string> => {
    const p = run('kcat', ['-b', broker().brokers, ...args], { timeout: 20_000 });
    if (input !== undefined) {
      p.child.stdin!.end(input);
    }
    return (await p).stdout;
  };

  it('lists metadata, produces and consumes', async () => {
    await broker().engine.createTopic('kc-topic', { partitions: 2 });
    const meta = await kcat(['-L']);
    expect(meta).toContain(`broker 0 at ${broker().brokers} (controller)`);
    expect(meta).toContain('topic "kc-topic" with 2 partitions');

    await kcat(['-P', '-t', 'kc-topic', '-p', '1', '-K', ':'], 'a:one\nb:two\nc:three\n');
    const out = await kcat(['-C', '-t', 'kc-topic', '-p', '1', '-e', '-f', '%k=%s@%o\\n']);
    expect(out.trim().split('\n')).toEqual(['a=one@0', 'b=two@1', 'c=three@2']);
  });

  it('runs a librdkafka consumer group that commits and resumes', async () => {
    const group = ['-G', 'kc-group', 'kc-grouped', '-e', '-X', 'auto.offset.reset=earliest', '-f', '%s\\n'];
    await kcat(['-P', '-t', 'kc-grouped'], 'one\ntwo\nthree\n');
    expect((await kcat(group)).trim().split('\n')).toEqual(['one', 'two', 'three']);
    await kcat(['-P', '-t', 'kc-grouped'], 'four\n');
    // the group's committed offset survives the first consumer: the second starts at "four"
    expect((await kcat(group)).trim().split('\n')).toEqual(['four']);
    const admin = broker().kafka().admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: 'kc-group', topics: ['kc-grouped'] });
      expect(committed[0].partitions[0].offset).toBe('4');
    } finally {
      await admin.disconnect();
    }
  });

  it('produces with enable.idempotence: every record once, in order, in batches that carry a producer id', async () => {
    await broker().engine.createTopic('kc-idem', { partitions: 1 });
    const lines = Array.from({ length: 500 }, (_, i) => `m${i}`);
    await kcat(['-P', '-t', 'kc-idem', '-p', '0', '-X', 'enable.idempotence=true', '-X', 'acks=all'], lines.join('\n') + '\n');
    const out = await kcat(['-C', '-t', 'kc-idem', '-p', '0', '-e', '-f', '%s\\n']);
    expect(out.trim().split('\n')).toEqual(lines);
    // the batch header's producer id (offset 43): librdkafka used InitProducerId, not a plain producer
    expect(broker().engine.partition('kc-idem', 0)!.read(0n, 1024).data.readBigInt64BE(43)).toBeGreaterThanOrEqual(0n);
  });

  it('interoperates with kafkajs in both directions', async () => {
    await kcat(['-P', '-t', 'kc-mixed', '-K', ':'], 'k1:from-kcat-1\nk2:from-kcat-2\n');
    const kafka = broker().kafka();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'kc-mixed', messages: [{ key: 'k3', value: 'from-kafkajs' }] });
    await producer.disconnect();

    const viaKafkajs = await consumeAll(kafka, quickGroup('kc-mixed-reader'), 'kc-mixed', 3);
    expect(viaKafkajs.map((m) => m.value)).toEqual(['from-kcat-1', 'from-kcat-2', 'from-kafkajs']);
    const viaKcat = await kcat(['-C', '-t', 'kc-mixed', '-e', '-f', '%k=%s\\n']);
    expect(viaKcat.trim().split('\n')).toEqual(['k1=from-kcat-1', 'k2=from-kcat-2', 'k3=from-kafkajs']);
  });
});

describe.skipIf(!hasKcat)('kcat with SASL/PLAIN', () => {
  const broker = useTestBroker({ saslUsers: { carol: 's3cret' } });

  const sasl = (password: string) => ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN', '-X', 'sasl.username=carol', '-X', `sasl.password=${password}`];

  it('authenticates with the right password and is refused with a wrong one', async () => {
    await broker().engine.createTopic('kc-secure', { partitions: 1 });
    const { stdout } = await run('kcat', ['-b', broker().brokers, ...sasl('s3cret'), '-L'], { timeout: 20_000 });
    expect(stdout).toContain('topic "kc-secure" with 1 partitions');
    await expect(run('kcat', ['-b', broker().brokers, ...sasl('wrong'), '-L', '-m', '2'], { timeout: 20_000 })).rejects.toThrow(/Authentication|SASL|Failed to acquire metadata/i);
  });
});
