import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reader } from '../src/protocol/primitives/reader.js';
import { Writer } from '../src/protocol/primitives/writer.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { ErrorCode } from '../src/protocol/error-codes.js';
import { encodeRecordBatch } from '../src/records/index.js';
import { tempDir, useTestBroker, waitFor } from './helpers/broker.js';
import { startDroppingProxy, type DroppingProxy } from './helpers/dropping-proxy.js';
import { rawConnect, type RawClient } from './helpers/raw-client.js';
import { startChildBroker } from './helpers/child-broker.js';
import { codec } from './protocol/fixtures.js';

const initProducerIdV1 = codec('InitProducerId', 1);
const produceV7 = codec('Produce', 7);

async function initProducerId(raw: RawClient): Promise<{ producerId: bigint; producerEpoch: number; errorCode: number }> {
  const w = new Writer();
  initProducerIdV1.encodeRequest(w, { transactionalId: null, transactionTimeoutMs: 60_000 });
  return initProducerIdV1.decodeResponse(new Reader(await raw.request(ApiKey.InitProducerId, 1, w.toBuffer())));
}

/** one idempotent batch of `values` with the given sequence; answers error code and base offset */
async function produce(raw: RawClient, topic: string, producerId: bigint, baseSequence: number, values: string[]): Promise<{ errorCode: number; baseOffset: bigint }> {
  const records = encodeRecordBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })), { producerId, producerEpoch: 0, baseSequence });
  const w = new Writer();
  produceV7.encodeRequest(w, { transactionalId: null, acks: -1, timeoutMs: 10_000, topics: [{ name: topic, partitions: [{ index: 0, records }] }] });
  const res = produceV7.decodeResponse(new Reader(await raw.request(ApiKey.Produce, 7, w.toBuffer()))) as { responses: { partitions: { errorCode: number; baseOffset: bigint }[] }[] };
  const { errorCode, baseOffset } = res.responses[0].partitions[0];
  return { errorCode, baseOffset };
}

describe('idempotent producers', () => {
  // clients reach the broker only through the proxy: Metadata advertises the proxy's port
  let proxy: DroppingProxy;
  let brokerPort = 0;
  beforeAll(async () => {
    proxy = await startDroppingProxy(() => brokerPort);
  });
  const broker = useTestBroker(() => ({ advertisedPort: proxy.port }));
  beforeAll(() => {
    brokerPort = broker().port;
  });
  // after hooks run in reverse: the proxy closes before the broker, as before
  afterAll(async () => {
    await proxy?.close();
  });

  it('kafkajs idempotent: a produce whose response was lost is retried and written once', async () => {
    const kafka = broker().kafka({ brokers: [`127.0.0.1:${proxy.port}`], retry: { retries: 10, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'idem', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({ topic: 'idem', acks: -1, messages: [{ value: 'a0' }, { value: 'a1' }] });
      proxy.dropProduceResponses(1);
      await producer.send({ topic: 'idem', acks: -1, messages: [{ value: 'b0' }, { value: 'b1' }, { value: 'b2' }] });
      expect(proxy.dropped).toBe(1);
      await producer.send({ topic: 'idem', acks: -1, messages: [{ value: 'c0' }] });
    } finally {
      await producer.disconnect();
    }
    const stored = broker().engine.partition('idem', 0)!.readRecords(0n, 100).map((r) => r.value!.toString());
    expect(stored).toEqual(['a0', 'a1', 'b0', 'b1', 'b2', 'c0']);
  });

  it('acknowledges a retried batch with its first offset, refuses gaps and unknown producers mid-stream', async () => {
    const raw = await rawConnect(broker().port);
    try {
      await broker().engine.createTopic('seq', { partitions: 1 });
      const { producerId, errorCode } = await initProducerId(raw);
      expect(errorCode).toBe(0);
      expect(await produce(raw, 'seq', producerId, 0, ['x0', 'x1'])).toEqual({ errorCode: 0, baseOffset: 0n });
      expect(await produce(raw, 'seq', producerId, 2, ['x2'])).toEqual({ errorCode: 0, baseOffset: 2n });
      // the same batch again: acknowledged with its offset, not written
      expect(await produce(raw, 'seq', producerId, 2, ['x2'])).toEqual({ errorCode: 0, baseOffset: 2n });
      // sequence 3 is missing
      expect((await produce(raw, 'seq', producerId, 4, ['x4'])).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      // a producer id this partition never saw must start at sequence 0
      expect((await produce(raw, 'seq', producerId + 1000n, 7, ['y'])).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(broker().engine.partition('seq', 0)!.readRecords(0n, 100).map((r) => r.value!.toString())).toEqual(['x0', 'x1', 'x2']);
      // ids are never handed out twice
      const second = await initProducerId(raw);
      expect(second.producerId).not.toBe(producerId);
    } finally {
      raw.destroy();
    }
  });
});

describe('idempotent producer state', () => {
  it('survives SIGKILL: after a restart a retried batch is still recognised and a gap still refused', async () => {
    const dataDir = tempDir();
    let child = await startChildBroker(['--data-dir', dataDir]);
    let raw = await rawConnect(child.port);
    let producerId: bigint;
    try {
      const create = codec('CreateTopics', 3);
      const w = new Writer();
      create.encodeRequest(w, { topics: [{ name: 'kill', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
      await raw.request(ApiKey.CreateTopics, 3, w.toBuffer());
      ({ producerId } = await initProducerId(raw));
      for (let seq = 0; seq < 30; seq += 3) {
        expect((await produce(raw, 'kill', producerId, seq, [`k${seq}`, `k${seq + 1}`, `k${seq + 2}`])).errorCode).toBe(0);
      }
    } finally {
      raw.destroy();
      child.child.kill('SIGKILL');
      await child.exited;
    }
    child = await startChildBroker(['--data-dir', dataDir]);
    raw = await rawConnect(child.port);
    try {
      // the last batch (sequence 27) again: a duplicate, answered with its original offset
      expect(await produce(raw, 'kill', producerId, 27, ['k27', 'k28', 'k29'])).toEqual({ errorCode: 0, baseOffset: 27n });
      expect((await produce(raw, 'kill', producerId, 31, ['gap'])).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect(await produce(raw, 'kill', producerId, 30, ['k30'])).toEqual({ errorCode: 0, baseOffset: 30n });
      // and a new producer id is not one handed out before the kill
      const again = await initProducerId(raw);
      expect(again.producerId > producerId).toBe(true);
    } finally {
      raw.destroy();
      child.child.kill('SIGTERM');
      await waitFor(async () => (await Promise.race([child.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))])) as boolean, 20_000, 'broker exit');
    }
  });
});
