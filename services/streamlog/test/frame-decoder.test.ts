import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameError } from '../src/server/frame-decoder.js';

const frame = (body: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);

describe('FrameDecoder', () => {
  const a = Buffer.from('0123456789ab');
  const b = Buffer.from('ABCDEFGHIJKLMNOP');

  it('splits frames that arrive together', () => {
    const d = new FrameDecoder(1024);
    expect(d.push(Buffer.concat([frame(a), frame(b)]))).toEqual([a, b]);
    expect(d.pendingBytes).toBe(0);
  });

  it('reassembles frames split at every possible byte', () => {
    const stream = Buffer.concat([frame(a), frame(b)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const d = new FrameDecoder(1024);
      const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(out).toEqual([a, b]);
    }
    const d = new FrameDecoder(1024);
    const out = [...stream].flatMap((byte) => d.push(Buffer.from([byte])));
    expect(out).toEqual([a, b]);
  });

  it('reassembles a pipelined stream of large frames cut into uneven chunks, header cuts included', () => {
    const bodies = Array.from({ length: 40 }, (_, i) => Buffer.alloc(1 + ((i * 7919) % 5000), i));
    const sized = (body: Buffer) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length);
      return Buffer.concat([size, body]);
    };
    const stream = Buffer.concat(bodies.map(sized));
    for (const chunkSize of [1, 3, 5, 1000, 4099, 65536]) {
      const d = new FrameDecoder(1 << 20);
      const out: Buffer[] = [];
      for (let pos = 0; pos < stream.length; pos += chunkSize) out.push(...d.push(stream.subarray(pos, pos + chunkSize)));
      expect(out).toEqual(bodies);
      expect(d.pendingBytes).toBe(0);
    }
  });

  it('rejects oversized and negative frames', () => {
    expect(() => new FrameDecoder(10).push(frame(a))).toThrow(FrameError);
    expect(() => new FrameDecoder(1024).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/negative/);
    // small frames are the dispatcher's business (a bare SASL token may be tiny)
    expect(new FrameDecoder(1024).push(frame(Buffer.from('abc')))).toEqual([Buffer.from('abc')]);
  });
});
