import { describe, expect, it } from 'vitest';
import { VarintReader, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../../src/records/index.js';

// zigzag + base-128 examples worked out by hand from the protocol guide
const VARINT_FIXTURES: [number, string][] = [
  [0, '00'],
  [-1, '01'],
  [1, '02'],
  [63, '7e'],
  [-64, '7f'],
  [64, '8001'],
  [300, 'd804'],
  [2147483647, 'feffffff0f'],
  [-2147483648, 'ffffffff0f'],
];

describe('varint', () => {
  it.each(VARINT_FIXTURES)('%d encodes as %s and decodes back', (value, hex) => {
    const buf = Buffer.alloc(10);
    const end = writeVarint(buf, 0, value);
    expect(buf.subarray(0, end).toString('hex')).toBe(hex);
    expect(sizeOfVarint(value)).toBe(end);
    const r = new VarintReader(Buffer.from(hex, 'hex'));
    expect(r.varint()).toBe(value);
    expect(r.pos).toBe(end);
  });

  it('varlong round-trips large timestamps and deltas', () => {
    for (const v of [0, -1, 1, 1_700_000_000_000, -1_700_000_000_000, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER >> 1]) {
      const buf = Buffer.alloc(12);
      const end = writeVarlong(buf, 0, v);
      expect(sizeOfVarlong(v)).toBe(end);
      expect(new VarintReader(buf, 0, end).varlong()).toBe(v);
    }
    // 1_700_000_000_000 * 2 = 3_400_000_000_000 in 7-bit groups, low first
    const buf = Buffer.alloc(12);
    const end = writeVarlong(buf, 0, 1_700_000_000_000);
    expect(buf.subarray(0, end).toString('hex')).toBe('80a0abfef962');
  });

  it('rejects a varint that runs past its bound', () => {
    expect(() => new VarintReader(Buffer.from('80', 'hex')).varint()).toThrow(RangeError);
    expect(() => new VarintReader(Buffer.from('ffffffffff01', 'hex')).varint()).toThrow(RangeError);
  });
});
