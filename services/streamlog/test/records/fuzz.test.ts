import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { RecordBatchError, decodeRecordBatch, decodeRecordBatches, encodeRecordBatch, validateBatches } from '../../src/records/index.js';
import { prng as rng } from '../helpers/prng.js';

// Producer bytes are untrusted: whatever they are, the codec answers with a result or a
// RecordBatchError, never another exception, a hang or a giant allocation.

function mutate(buf: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(buf);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) {
    for (let i = 0; i < 1 + rand() * 4; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(rand() * out.length));
  if (kind === 2) {
    // a plausible-looking but wrong length or count field
    const field = [8, 23, 57][Math.floor(rand() * 3)];
    out.writeInt32BE(Math.floor((rand() - 0.5) * 2 ** 32) | 0, field);
    return out;
  }
  const junk = Buffer.alloc(Math.floor(rand() * 200));
  for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
  return Buffer.concat([out, junk]);
}

function expectOnlyBatchErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof RecordBatchError)) throw err;
  }
}

describe('codec under random and mutated input', () => {
  it('validateBatches and the decoders only ever throw RecordBatchError', async () => {
    const require = createRequire(import.meta.url);
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
    const { Types } = require('kafkajs/src/protocol/message/compression/index.js');
    const gzip: Buffer = (
      await RecordBatch({
        compression: Types.GZIP,
        lastOffsetDelta: 2,
        records: [0, 1, 2].map((i: number) => Record({ offsetDelta: i, key: Buffer.from('k'), value: Buffer.from(`v${i}`), headers: { h: 'x' } })),
      })
    ).buffer;
    const plain = encodeRecordBatch(
      Array.from({ length: 5 }, (_, i) => ({ key: i % 2 ? null : Buffer.from(`key${i}`), value: Buffer.from(`value-${i}`), timestamp: 1_000n + BigInt(i), headers: [{ key: 'a', value: Buffer.from('b') }] })),
    );
    const seeds = [plain, gzip, Buffer.concat([plain, plain])];
    const rand = rng(20261127);
    for (let i = 0; i < 3000; i++) {
      const input = mutate(seeds[i % seeds.length], rand);
      expectOnlyBatchErrors(() => validateBatches(input));
      expectOnlyBatchErrors(() => decodeRecordBatch(input));
      expectOnlyBatchErrors(() => decodeRecordBatches(input));
    }
    for (let i = 0; i < 500; i++) {
      const random = Buffer.alloc(Math.floor(rand() * 300));
      for (let j = 0; j < random.length; j++) random[j] = Math.floor(rand() * 256);
      expectOnlyBatchErrors(() => validateBatches(random));
      expectOnlyBatchErrors(() => decodeRecordBatch(random));
    }
  });

  it('refuses a record count far beyond what the bytes can hold without allocating for it', () => {
    const b = encodeRecordBatch([{ key: null, value: Buffer.from('x'), timestamp: 1n }]);
    b.writeInt32BE(0x7fffffff, 57);
    expect(() => decodeRecordBatch(b)).toThrow(/does not fit/);
  });
});
