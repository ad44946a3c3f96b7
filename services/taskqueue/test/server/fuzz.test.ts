// Random and mutated frames against the live server: each bad connection ends (with a connection
// error or by our hang-up), none takes the server down or hangs it, and amqplib works afterwards.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER } from '../../src/amqp/frame.js';
import { corpus, mutate, prng, randomBytes } from '../amqp/fuzz-corpus.js';
import { RawClient, startTestBroker, until, type TestBroker } from './helpers.js';

let tq: TestBroker;
beforeAll(async () => {
  tq = await startTestBroker();
});
afterAll(async () => {
  await tq?.stop();
});

const CONNECTIONS = 240;
const FRAMES_PER_CONNECTION = 12;
const PARALLEL = 16;

async function fuzzOne(seed: number, pool: Buffer[]): Promise<number | null> {
  const rand = prng(seed);
  const raw = await RawClient.connect(tq.port);
  try {
    if (seed % 10 === 0) {
      // garbage instead of (or right after) the protocol header
      raw.write(seed % 20 === 0 ? randomBytes(rand, 32) : Buffer.concat([PROTOCOL_HEADER, randomBytes(rand, 64)]));
    } else {
      await raw.handshake();
      raw.write(pool[0]!); // channel.open on channel 1
      for (let i = 0; i < FRAMES_PER_CONNECTION; i++) {
        const base = pool[1 + Math.floor(rand() * (pool.length - 1))]!;
        raw.write(rand() < 0.25 ? mutate(rand, base, pool) : base);
      }
    }
    // hang up our side; the server must let go too, whatever state the bytes left it in
    raw.socket.end();
    await raw.waitClosed(10_000);
    const close = raw.frames.find((f) => f.method?.def.name === 'connection.close');
    return close ? (close.method!.args.replyCode as number) : null;
  } finally {
    raw.destroy();
  }
}

describe('live server fuzz', () => {
  it(`${CONNECTIONS} connections x ${FRAMES_PER_CONNECTION} random/mutated frames: no crash, no hang, amqplib still served`, async () => {
    const pool = corpus();
    const codes = new Map<number | null, number>();
    // a well-behaved client keeps working through the whole run
    const steady = await amqp.connect(tq.url);
    const steadyCh = await steady.createConfirmChannel();
    const q = await steadyCh.assertQueue('', { exclusive: true });
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const seed = next++;
        if (seed >= CONNECTIONS) return;
        const code = await fuzzOne(seed + 1, pool);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        steadyCh.sendToQueue(q.queue, Buffer.from(String(seed)));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    await steadyCh.waitForConfirms();
    const { messageCount } = await steadyCh.checkQueue(q.queue);
    expect(messageCount).toBe(CONNECTIONS);
    // the fuzz hit real protocol errors, not just clean hang-ups
    const errorCodes = [...codes.keys()].filter((c): c is number => c !== null && c >= 500);
    expect(errorCodes.length).toBeGreaterThan(1);
    // 541 would mean one of our own exceptions escaped as INTERNAL_ERROR
    expect(codes.has(541)).toBe(false);
    await steady.close();

    // and a fresh amqplib client works
    const conn = await amqp.connect(tq.url);
    const ch = await conn.createChannel();
    const q2 = await ch.assertQueue('', { exclusive: true });
    ch.sendToQueue(q2.queue, Buffer.from('after'));
    const m = await until(() => ch.get(q2.queue, { noAck: true }), 'message after fuzz');
    expect(m.content.toString()).toBe('after');
    await conn.close();
    await until(() => tq.connections() === 0, 'all fuzz connections released');
  });
});
