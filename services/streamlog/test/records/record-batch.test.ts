import { createRequire } from 'node:module';
import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import {
  BATCH_HEADER_SIZE,
  RecordBatchError,
  decodeRecordBatch,
  decodeRecordBatches,
  encodeRecordBatch,
  readBatchHeader,
  validateBatches,
} from '../../src/records/index.js';

// One record, key "k", value "v", timestamp 1700000000000 (0x0000018bcfe56800), written out
// field by field from the record-batch v2 layout in Kafka's protocol guide. The CRC-32C
// (Castagnoli) of attributes..end was computed with kafkajs's table-driven implementation.
const ONE_RECORD_BATCH_HEX = [
  '0000000000000000', // baseOffset 0
  '0000003a', // batchLength 58 = 70 total - 12
  '00000000', // partitionLeaderEpoch 0
  '02', // magic 2
  'e99b8dd8', // crc
  '0000', // attributes: no compression, CreateTime
  '00000000', // lastOffsetDelta 0
  '0000018bcfe56800', // baseTimestamp
  '0000018bcfe56800', // maxTimestamp
  'ffffffffffffffff', // producerId -1
  'ffff', // producerEpoch -1
  'ffffffff', // baseSequence -1
  '00000001', // 1 record
  // record: length 8 (zigzag 0x10), attributes 0, timestampDelta 0, offsetDelta 0,
  // key length 1 (0x02) "k", value length 1 (0x02) "v", 0 headers
  '10', '00', '00', '00', '02', '6b', '02', '76', '00',
].join('');

// Two records; the second at timestamp +5 with a null key, value "v2" and header h=x.
const TWO_RECORD_BATCH_RECORDS_HEX = [
  '10000000026b027600', // record 0 as above
  '18', // length 12
  '00', // attributes
  '0a', // timestampDelta 5
  '02', // offsetDelta 1
  '01', // key null (-1)
  '047632', // value "v2"
  '02', // 1 header
  '0268', // header key "h"
  '0278', // header value "x"
].join('');

const TS = 1_700_000_000_000n;
const require = createRequire(import.meta.url);

describe('record batch v2 codec', () => {
  it('encodes the one-record batch byte for byte, CRC included', () => {
    const batch = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: TS }]);
    expect(batch.toString('hex')).toBe(ONE_RECORD_BATCH_HEX);
  });

  it('decodes the one-record fixture', () => {
    const buf = Buffer.from(ONE_RECORD_BATCH_HEX, 'hex');
    expect(validateBatches(buf)).toBe(1);
    const { header, records } = decodeRecordBatch(buf);
    expect(header).toMatchObject({
      baseOffset: 0n,
      batchLength: 58,
      magic: 2,
      crc: 0xe99b8dd8,
      attributes: 0,
      lastOffsetDelta: 0,
      baseTimestamp: TS,
      maxTimestamp: TS,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordCount: 1,
    });
    expect(records).toHaveLength(1);
    expect(records[0].offset).toBe(0n);
    expect(records[0].timestamp).toBe(TS);
    expect(records[0].key?.toString()).toBe('k');
    expect(records[0].value?.toString()).toBe('v');
    expect(records[0].headers).toEqual([]);
  });

  it('encodes null keys, headers and timestamp deltas as the spec lays them out', () => {
    const batch = encodeRecordBatch(
      [
        { key: Buffer.from('k'), value: Buffer.from('v'), timestamp: TS },
        { key: null, value: Buffer.from('v2'), timestamp: TS + 5n, headers: [{ key: 'h', value: Buffer.from('x') }] },
      ],
      { baseOffset: 42 },
    );
    expect(batch.subarray(BATCH_HEADER_SIZE).toString('hex')).toBe(TWO_RECORD_BATCH_RECORDS_HEX);
    const header = readBatchHeader(batch);
    expect(header.baseOffset).toBe(42n);
    expect(header.lastOffsetDelta).toBe(1);
    expect(header.maxTimestamp).toBe(TS + 5n);
    expect(header.batchLength).toBe(batch.length - 12);
    expect(header.crc).toBe(crc32c(batch.subarray(21)));
    const { records } = decodeRecordBatch(batch);
    expect(records.map((r) => r.offset)).toEqual([42n, 43n]);
    expect(records[1].key).toBeNull();
    expect(records[1].timestamp).toBe(TS + 5n);
    expect(records[1].headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
  });

  it('decodes a batch built by kafkajs own encoder', async () => {
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as KafkajsRecordBatchModule;
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as KafkajsRecord;
    const encoder = await RecordBatch({
      firstOffset: 0,
      firstTimestamp: 1_600_000_000_000,
      maxTimestamp: 1_600_000_000_009,
      lastOffsetDelta: 2,
      records: [0, 1, 2].map((i) =>
        Record({ offsetDelta: i, timestampDelta: i * 3, key: Buffer.from(`key-${i}`), value: Buffer.from(`value-${i}`), headers: { trace: `t${i}` } }),
      ),
    });
    const buf = encoder.buffer;
    expect(validateBatches(buf)).toBe(1);
    const { header, records } = decodeRecordBatch(buf);
    expect(header.recordCount).toBe(3);
    expect(header.maxTimestamp).toBe(1_600_000_000_009n);
    expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString(), r.headers[0].key, r.headers[0].value?.toString()])).toEqual([
      [0n, 1_600_000_000_000n, 'key-0', 'value-0', 'trace', 't0'],
      [1n, 1_600_000_000_003n, 'key-1', 'value-1', 'trace', 't1'],
      [2n, 1_600_000_000_006n, 'key-2', 'value-2', 'trace', 't2'],
    ]);
  });

  it('decodes a gzip-compressed batch from kafkajs; other codecs are validated but not decoded', async () => {
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as KafkajsRecordBatchModule;
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as KafkajsRecord;
    const { Types } = require('kafkajs/src/protocol/message/compression/index.js') as { Types: { GZIP: number } };
    const encoder = await RecordBatch({
      compression: Types.GZIP,
      firstTimestamp: 1_600_000_000_000,
      maxTimestamp: 1_600_000_000_000,
      lastOffsetDelta: 1,
      records: [0, 1].map((i) => Record({ offsetDelta: i, key: null, value: Buffer.from(`gz-${i}`.repeat(20)) })),
    });
    const buf = encoder.buffer;
    expect(validateBatches(buf)).toBe(1);
    expect(decodeRecordBatch(buf).records.map((r) => r.value?.toString())).toEqual(['gz-0'.repeat(20), 'gz-1'.repeat(20)]);

    // relabel as snappy (CRC recomputed): the batch is still well-formed but not decodable here
    const snappy = Buffer.from(buf);
    snappy.writeInt16BE(2, 21);
    snappy.writeUInt32BE(crc32c(snappy.subarray(21)), 17);
    expect(validateBatches(snappy)).toBe(1);
    expect(() => decodeRecordBatch(snappy)).toThrow(/codec 2/);
  });

  it('decodes several concatenated batches and ignores a trailing partial one', () => {
    const a = encodeRecordBatch([{ key: null, value: Buffer.from('a'), timestamp: 1n }], { baseOffset: 0 });
    const b = encodeRecordBatch([{ key: null, value: Buffer.from('b'), timestamp: 2n }], { baseOffset: 1 });
    const batches = decodeRecordBatches(Buffer.concat([a, b, b.subarray(0, 30)]));
    expect(batches.map((x) => x.records[0].value?.toString())).toEqual(['a', 'b']);
  });
});

describe('validateBatches rejects malformed producer batches', () => {
  const good = () => Buffer.from(ONE_RECORD_BATCH_HEX, 'hex');
  const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
    ['a flipped payload byte (CRC)', (b) => (b[b.length - 2] ^= 1, b), /CRC/],
    ['magic 1', (b) => (b[16] = 1, b), /magic/],
    ['batchLength past the data', (b) => (b.writeInt32BE(59, 8), b), /runs past/],
    ['batchLength too small', (b) => (b.writeInt32BE(10, 8), b), /too small/],
    ['a truncated header', (b) => b.subarray(0, 40), /truncated/],
    ['trailing garbage', (b) => Buffer.concat([b, Buffer.from([1, 2, 3])]), /truncated/],
    ['empty input', () => Buffer.alloc(0), /no record batches/],
  ];
  it.each(cases)('%s', (_name, mutate, message) => {
    expect(() => validateBatches(mutate(good()))).toThrow(message);
  });

  it('rejects a record count that disagrees with the records, even with a valid CRC', () => {
    const twoRecords = () =>
      encodeRecordBatch([
        { key: Buffer.from('k'), value: Buffer.from('v'), timestamp: TS },
        { key: null, value: Buffer.from('v2'), timestamp: TS + 5n, headers: [{ key: 'h', value: Buffer.from('x') }] },
      ]);
    for (const [count, lastDelta, message] of [
      [3, 2, /record 2 length/], // records do not tile: the third "record" starts past the end
      [1, 0, /bytes after the last record/],
      [40, 39, /cannot fit/],
      [0, -1, /record count 0/],
      [2, 5, /lastOffsetDelta/],
    ] as const) {
      const b = twoRecords();
      b.writeInt32BE(count, 57);
      b.writeInt32BE(lastDelta, 23);
      b.writeUInt32BE(crc32c(b.subarray(21)), 17);
      expect(() => validateBatches(b)).toThrow(RecordBatchError);
      expect(() => validateBatches(b)).toThrow(message);
    }
  });
});

type KafkajsEncoder = { buffer: Buffer };
type KafkajsRecord = (r: { offsetDelta?: number; timestampDelta?: number; key: Buffer | null; value: Buffer | null; headers?: Record<string, string> }) => KafkajsEncoder;
interface KafkajsRecordBatchModule {
  RecordBatch(args: {
    compression?: number;
    firstOffset?: number;
    firstTimestamp?: number;
    maxTimestamp?: number;
    lastOffsetDelta?: number;
    records: KafkajsEncoder[];
  }): Promise<KafkajsEncoder>;
}
