// A seeded PRNG and a corpus of valid client frames to mutate, shared by the decoder fuzz test
import type { FieldTable } from '../../src/broker/contract.js';
// (pure) and the live-server fuzz test.
import { Writer } from '../../src/amqp/buffers.js';
import { writeBodyFrames, writeHeaderFrame, writeMethodFrame } from '../../src/amqp/frame.js';
import { methodDef } from '../../src/amqp/methods.js';

/** mulberry32: tiny, fast, good enough to make failures reproducible from the seed */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function frames(fn: (w: Writer) => void): Buffer {
  const w = new Writer();
  fn(w);
  return Buffer.from(w.take()!);
}

const args: FieldTable = {
  str: 'v',
  n: 42,
  big: 2 ** 40,
  f: { type: 'float', value: 1.5 },
  d: 2.25,
  dec: { type: 'decimal', scale: 1, value: 5 },
  b: true,
  nul: null,
  arr: [1, 'x', [2]],
  nested: { deeper: { x: Buffer.from([1, 2]) } },
  ts: new Date(1_700_000_000_000),
};

/** valid frames on channel 1 (which the sequence opens first) */
export function corpus(): Buffer[] {
  const m = (name: string, a: Record<string, unknown>, channel = 1): Buffer =>
    frames((w) => writeMethodFrame(w, channel, methodDef(name), a));
  return [
    m('channel.open', {}),
    m('basic.qos', { prefetchSize: 0, prefetchCount: 10, global: false }),
    m('confirm.select', { nowait: false }),
    m('exchange.declare', { exchange: 'fz.x', type: 'topic', durable: false, autoDelete: true, arguments: args }),
    m('queue.declare', { queue: 'fz.q', durable: false, autoDelete: true, arguments: { 'x-message-ttl': 60000, ...args } }),
    m('queue.bind', { queue: 'fz.q', exchange: 'fz.x', routingKey: 'a.#', arguments: {} }),
    frames((w) => {
      writeMethodFrame(w, 1, methodDef('basic.publish'), { exchange: 'fz.x', routingKey: 'a.b', mandatory: true });
      writeHeaderFrame(w, 1, 11, { contentType: 'text/plain', deliveryMode: 2, headers: args, expiration: '5000', priority: 1 });
      writeBodyFrames(w, 1, Buffer.from('hello world'), 4096);
    }),
    m('basic.consume', { queue: 'fz.q', consumerTag: '', noAck: false, arguments: {} }),
    m('basic.get', { queue: 'fz.q', noAck: false }),
    m('basic.ack', { deliveryTag: 1, multiple: true }),
    m('basic.nack', { deliveryTag: 0, multiple: true, requeue: true }),
    m('basic.reject', { deliveryTag: 2, requeue: false }),
    m('queue.purge', { queue: 'fz.q' }),
    m('exchange.bind', { destination: 'fz.x', source: 'amq.topic', routingKey: '#', arguments: {} }),
    m('channel.flow', { active: true }),
    m('channel.close', { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 }),
    frames((w) => {
      w.u8(8);
      w.u16(0);
      w.u32(0);
      w.u8(0xce);
    }),
  ];
}

/** one random change: flip, overwrite, insert, delete, truncate, or splice two frames */
export function mutate(rand: () => number, input: Buffer, pool: Buffer[]): Buffer {
  const b = Buffer.from(input);
  const at = Math.floor(rand() * b.length);
  switch (Math.floor(rand() * 7)) {
    case 0:
      b[at] = b[at]! ^ (1 << Math.floor(rand() * 8));
      return b;
    case 1:
      b[at] = Math.floor(rand() * 256);
      return b;
    case 2: {
      const extra = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256)));
      return Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
    }
    case 3:
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(rand() * 4))]);
    case 4:
      return b.subarray(0, at);
    case 5: {
      // a plausible but wrong size field
      if (b.length >= 7) b.writeUInt32BE(Math.floor(rand() * 200), 3);
      return b;
    }
    default: {
      const other = pool[Math.floor(rand() * pool.length)]!;
      return Buffer.concat([b.subarray(0, at), other.subarray(Math.floor(rand() * other.length))]);
    }
  }
}

export function randomBytes(rand: () => number, max: number): Buffer {
  return Buffer.from(Array.from({ length: Math.floor(rand() * max) }, () => Math.floor(rand() * 256)));
}
