// The decoders on random and mutated input: the only failure allowed is an AMQP connection error
// (501 frame error, 502 syntax error, 503/505 protocol errors); never a RangeError, never a hang.
import { describe, expect, it } from 'vitest';
import { decodeContentHeader } from '../../src/amqp/content-header.js';
import { FrameDecoder } from '../../src/amqp/frame.js';
import { decodeMethod } from '../../src/amqp/methods.js';
import { AmqpConnectionError } from '../../src/errors.js';
import { corpus, mutate, prng, randomBytes } from './fuzz-corpus.js';

function decodeAll(input: Buffer): number {
  let decoded = 0;
  const d = new FrameDecoder((type, _ch, buf, s, e) => {
    if (type === 1) decodeMethod(buf, s, e);
    if (type === 2) decodeContentHeader(buf, s, e);
    decoded++;
  });
  d.maxFrameSize = 131072;
  d.push(input);
  return decoded;
}

describe('decoder fuzz', () => {
  it('survives 20,000 random and mutated inputs with only AMQP errors', () => {
    const rand = prng(0xc0ffee);
    const pool = corpus();
    const codes = new Map<number, number>();
    let clean = 0;
    for (let i = 0; i < 20_000; i++) {
      let input: Buffer;
      if (i % 4 === 0) input = randomBytes(rand, 64);
      else {
        input = pool[Math.floor(rand() * pool.length)]!;
        const rounds = 1 + Math.floor(rand() * 3);
        for (let r = 0; r < rounds; r++) input = mutate(rand, input, pool);
      }
      try {
        decodeAll(input);
        clean++;
      } catch (err) {
        if (!(err instanceof AmqpConnectionError)) throw new Error(`case ${i} (${input.toString('hex')}) threw ${String(err)}`);
        codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
      }
    }
    // the mix exercised the error paths and the happy path
    expect(codes.get(501)).toBeGreaterThan(100);
    expect(codes.get(502)).toBeGreaterThan(100);
    expect(clean).toBeGreaterThan(100);
    // the untouched corpus decodes cleanly
    for (const f of pool) expect(decodeAll(f)).toBeGreaterThan(0);
  });
});
