import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reader } from '../src/protocol/primitives/reader.js';
import { Writer } from '../src/protocol/primitives/writer.js';
import { ErrorCode } from '../src/protocol/error-codes.js';
import { encodeRecordBatch } from '../src/records/index.js';
import { CONTROL_FLAG, TRANSACTIONAL_FLAG } from '../src/records/batch-header.js';
import { useTestBroker } from './helpers/broker.js';
import { rawConnect, type RawClient } from './helpers/raw-client.js';
import { codec } from './protocol/fixtures.js';

const INIT = 22;
const PRODUCE = 0;
const ADD_PARTITIONS = 24;
const END_TXN = 26;
const FIND_COORDINATOR = 10;

async function call<T>(raw: RawClient, api: string, key: number, version: number, req: Record<string, unknown>): Promise<T> {
  const c = codec(api, version);
  const w = new Writer();
  c.encodeRequest(w, req as never);
  return c.decodeResponse(new Reader(await raw.request(key, version, w.toBuffer()))) as T;
}

async function produce(raw: RawClient, topic: string, records: Buffer): Promise<number> {
  const res = await call<{ responses: { partitions: { errorCode: number }[] }[] }>(raw, 'Produce', PRODUCE, 7, {
    transactionalId: 'bad', acks: -1, timeoutMs: 5000, topics: [{ name: topic, partitions: [{ index: 0, records }] }],
  });
  return res.responses[0].partitions[0].errorCode;
}

describe('transactions refuse bad input with clear errors and write nothing', () => {
  const broker = useTestBroker();
  let raw: RawClient;
  beforeAll(async () => {
    await broker().engine.createTopic('bad-tx', { partitions: 1 });
    raw = await rawConnect(broker().port);
  });
  afterAll(() => {
    raw?.destroy();
  });

  it('checks ids, epochs, timeouts, partitions and states', async () => {
    const coordinator = await call<{ errorCode: number; nodeId: number }>(raw, 'FindCoordinator', FIND_COORDINATOR, 1, { key: 'bad', keyType: 1 });
    expect(coordinator).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 0 });
    const tooLong = await call<{ errorCode: number }>(raw, 'InitProducerId', INIT, 1, { transactionalId: 'bad', transactionTimeoutMs: 16 * 60_000 });
    expect(tooLong.errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const init = await call<{ errorCode: number; producerId: bigint; producerEpoch: number }>(raw, 'InitProducerId', INIT, 1, { transactionalId: 'bad', transactionTimeoutMs: 60_000 });
    expect(init.errorCode).toBe(ErrorCode.NONE);
    const { producerId, producerEpoch } = init;
    const log = broker().engine.partition('bad-tx', 0)!;

    // a transactional batch for a partition not added to the transaction
    const txBatch = (epoch: number, seq: number) => encodeRecordBatch([{ key: null, value: Buffer.from('x') }], { producerId, producerEpoch: epoch, baseSequence: seq, attributes: TRANSACTIONAL_FLAG });
    expect(await produce(raw, 'bad-tx', txBatch(producerEpoch, 0))).toBe(ErrorCode.INVALID_TXN_STATE);
    // an unknown producer id, a wrong epoch
    const add = (pid: bigint, epoch: number, topic = 'bad-tx') =>
      call<{ results: { results: { errorCode: number }[] }[] }>(raw, 'AddPartitionsToTxn', ADD_PARTITIONS, 1, { transactionalId: 'bad', producerId: pid, producerEpoch: epoch, topics: [{ name: topic, partitions: [0] }] });
    expect((await add(producerId + 1n, producerEpoch)).results[0].results[0].errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect((await add(producerId, producerEpoch - 1)).results[0].results[0].errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await add(producerId, producerEpoch, 'no-such-topic')).results[0].results[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    // committing a transaction that never began
    const end = await call<{ errorCode: number }>(raw, 'EndTxn', END_TXN, 1, { transactionalId: 'bad', producerId, producerEpoch, committed: true });
    expect(end.errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    // a control batch (a forged marker) from a client
    const forged = encodeRecordBatch([{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.alloc(6) }], { producerId, producerEpoch, baseSequence: -1, attributes: TRANSACTIONAL_FLAG | CONTROL_FLAG });
    expect((await add(producerId, producerEpoch)).results[0].results[0].errorCode).toBe(ErrorCode.NONE);
    expect(await produce(raw, 'bad-tx', forged)).toBe(ErrorCode.INVALID_RECORD);
    expect(log.highWatermark).toBe(0n);
    // and the transaction still works
    expect(await produce(raw, 'bad-tx', txBatch(producerEpoch, 0))).toBe(ErrorCode.NONE);
    expect(log.lastStableOffset).toBe(0n);
    expect((await call<{ errorCode: number }>(raw, 'EndTxn', END_TXN, 1, { transactionalId: 'bad', producerId, producerEpoch, committed: false })).errorCode).toBe(ErrorCode.NONE);
    expect(log.lastStableOffset).toBe(2n);
    expect(log.abortedTransactions(0n, 1n)).toEqual([{ producerId, firstOffset: 0, lastOffset: 1 }]);
  });
});
