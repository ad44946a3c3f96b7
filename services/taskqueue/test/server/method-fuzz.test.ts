// Well-formed but random methods with random arguments (names, flags, argument tables with odd
// value types): the broker answers with channel or connection errors, never 541 INTERNAL_ERROR.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMethods, type MethodDef } from '../../src/amqp/methods.js';
import type { FieldTable, FieldValue } from '../../src/broker/contract.js';
import { prng } from '../amqp/fuzz-corpus.js';
import { RawClient, startTestBroker, until, type TestBroker } from './helpers.js';

let tq: TestBroker;
beforeAll(async () => {
  tq = await startTestBroker();
});
afterAll(async () => {
  await tq?.stop();
});

const CLIENT_METHODS = allMethods().filter((d) =>
  ['exchange.', 'queue.', 'basic.', 'confirm.', 'tx.', 'channel.flow'].some((p) => d.name.startsWith(p)) &&
  !['basic.deliver', 'basic.return', 'basic.get-ok', 'basic.get-empty'].includes(d.name) &&
  !d.name.endsWith('-ok'),
);
const NAMES = ['', 'mf.q', 'mf.x', 'amq.direct', 'amq.topic', 'amq.fanout', 'amq.gen-x', 'amq.q', 'mf.dlx'];
const ARG_KEYS = ['x-message-ttl', 'x-expires', 'x-max-length', 'x-max-length-bytes', 'x-overflow', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-queue-type', 'x-match', 'alternate-exchange', 'x-priority'];

function randomValue(rand: () => number): FieldValue {
  const pick = Math.floor(rand() * 10);
  switch (pick) {
    case 0: return Math.floor(rand() * 2000) - 500;
    case 1: return 'mf.x';
    case 2: return ['reject-publish', 'drop-head', 'reject-publish-dlx', 'bogus'][Math.floor(rand() * 4)]!;
    case 3: return rand() < 0.5;
    case 4: return { type: 'double', value: rand() * 100 };
    case 5: return null;
    case 6: return [1, 'a'];
    case 7: return { nested: 1 };
    case 8: return 2n ** 40n;
    default: return Buffer.from('x');
  }
}

function randomArgs(def: MethodDef, rand: () => number): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, type] of def.fields) {
    if (type === 'bit') args[name] = rand() < 0.3;
    else if (type === 'shortstr') args[name] = name === 'type' ? ['direct', 'topic', 'fanout', 'headers', 'x-custom'][Math.floor(rand() * 5)] : NAMES[Math.floor(rand() * NAMES.length)];
    else if (type === 'longlong') args[name] = Math.floor(rand() * 4);
    else if (type === 'long') args[name] = rand() < 0.8 ? 0 : Math.floor(rand() * 1000);
    else if (type === 'short') args[name] = Math.floor(rand() * 20);
    else if (type === 'table') {
      const t: FieldTable = {};
      const n = Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) t[ARG_KEYS[Math.floor(rand() * ARG_KEYS.length)]!] = randomValue(rand);
      args[name] = t;
    }
  }
  return args;
}

describe('method fuzz', () => {
  it('random well-formed methods never end in 541 INTERNAL_ERROR', async () => {
    const codes = new Map<number, number>();
    const one = async (seed: number): Promise<void> => {
      const rand = prng(seed * 7919);
      const raw = await RawClient.connect(tq.port);
      await raw.handshake();
      for (let ch = 1; ch <= 3; ch++) raw.send(ch, 'channel.open', {});
      for (let i = 0; i < 40; i++) {
        const def = CLIENT_METHODS[Math.floor(rand() * CLIENT_METHODS.length)]!;
        const ch = 1 + Math.floor(rand() * 3);
        raw.send(ch, def.name, randomArgs(def, rand));
        if (def.name === 'basic.publish') {
          raw.write(Buffer.from('02' + ch.toString(16).padStart(4, '0') + '0000000f' + '003c0000' + '0000000000000001' + '1000' + '02' + 'ce' + '03' + ch.toString(16).padStart(4, '0') + '00000001' + '61' + 'ce', 'hex'));
        }
      }
      raw.send(0, 'connection.close', { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 });
      await raw.waitClosed(10_000).catch(() => raw.destroy());
      for (const f of raw.frames) {
        const name = f.method?.def.name;
        if (name === 'connection.close' || name === 'channel.close') {
          const code = f.method!.args.replyCode as number;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (code === 541) throw new Error(`seed ${seed}: ${f.method!.args.replyText}`);
        }
      }
    };
    let next = 1;
    const worker = async (): Promise<void> => {
      while (next <= 60) await one(next++);
    };
    await Promise.all([worker(), worker(), worker(), worker(), worker(), worker()]);
    expect(codes.size).toBeGreaterThan(2);
    // the broker still serves a normal client
    const conn = await amqp.connect(tq.url);
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('', { exclusive: true });
    ch.sendToQueue(q.queue, Buffer.from('ok'));
    expect((await until(() => ch.get(q.queue, { noAck: true }), 'message')).content.toString()).toBe('ok');
    await conn.close();
  });
});
