import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type NotificationTask } from '@riderflow/contracts';
import { declareTopology } from '@riderflow/service-kit';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { NotificationLedger } from '../src/ledger.js';
import { SimulatedProvider } from '../src/providers.js';
import { stepAfterClaim } from '../src/core/delivery.js';
import { attemptOf, decideAfterFailure } from '../src/core/retry-policy.js';
import { notifierTopology } from '../src/topology.js';
import { postgresTestDatabase, sqliteTestDatabase, type TestDatabase } from './support.js';

describe('the step after a ledger claim', () => {
  const fresh = { redelivered: false, redriven: false, maxAttempts: 3 };
  it('sends a claimed task and defers one another worker is sending', () => {
    expect(stepAfterClaim({ kind: 'claimed', takeover: false }, fresh)).toEqual({ kind: 'send' });
    expect(stepAfterClaim({ kind: 'claimed', takeover: true }, { ...fresh, redelivered: true })).toEqual({ kind: 'send' });
    expect(stepAfterClaim({ kind: 'busy' }, fresh)).toEqual({ kind: 'defer' });
  });
  it('republishes "sent" for a redelivered sent task (its worker may have died before the result) and "duplicate" otherwise', () => {
    expect(stepAfterClaim({ kind: 'already_sent', attempts: 2 }, { ...fresh, redelivered: true })).toEqual({ kind: 'result', status: 'sent', attempts: 2 });
    expect(stepAfterClaim({ kind: 'already_sent', attempts: 2 }, fresh)).toEqual({ kind: 'result', status: 'duplicate', attempts: 2 });
  });
  it('dead-letters a redelivered dead task again, calls a repeated one a duplicate, and reopens a redriven one', () => {
    expect(stepAfterClaim({ kind: 'already_dead', attempts: 3 }, { ...fresh, redelivered: true })).toEqual({ kind: 'dead_letter', reason: 'provider failed 3 times (max 3)', attempts: 3 });
    expect(stepAfterClaim({ kind: 'already_dead', attempts: 3 }, fresh)).toEqual({ kind: 'result', status: 'duplicate', attempts: 3 });
    expect(stepAfterClaim({ kind: 'already_dead', attempts: 3 }, { ...fresh, redriven: true })).toEqual({ kind: 'reopen' });
    expect(stepAfterClaim({ kind: 'already_dead', attempts: 3 }, { ...fresh, redriven: true, redelivered: true })).toEqual({ kind: 'reopen' });
  });
});

describe('retry policy', () => {
  it('backs off through the steps, stays on the last, then dead-letters after maxAttempts', () => {
    expect(decideAfterFailure(1, 4, 3, 'x')).toEqual({ kind: 'retry', stepIndex: 0, nextAttempt: 2 });
    expect(decideAfterFailure(2, 4, 3, 'x')).toEqual({ kind: 'retry', stepIndex: 1, nextAttempt: 3 });
    expect(decideAfterFailure(3, 5, 3, 'x')).toEqual({ kind: 'retry', stepIndex: 2, nextAttempt: 4 });
    expect(decideAfterFailure(4, 5, 3, 'x')).toEqual({ kind: 'retry', stepIndex: 2, nextAttempt: 5 });
    expect(decideAfterFailure(4, 4, 3, 'boom')).toEqual({ kind: 'dead_letter', reason: 'provider failed 4 times (max 4); last error: boom' });
  });
  it('reads x-attempt defensively', () => {
    expect(attemptOf(undefined)).toBe(1);
    expect(attemptOf({ 'x-attempt': 3 })).toBe(3);
    expect(attemptOf({ 'x-attempt': '2' })).toBe(2);
    expect(attemptOf({ 'x-attempt': 'junk' })).toBe(1);
    expect(attemptOf({ 'x-attempt': 0 })).toBe(1);
  });
});

describe('simulated provider', () => {
  it('sends once per idempotency key and fails before sending', async () => {
    let fail = true;
    const p = new SimulatedProvider('sms', { failureRate: 0.5, random: () => (fail ? 0 : 1) });
    const req = { idempotencyKey: 'k', notificationId: 'n', recipient: 'r', template: 't', data: {} };
    await expect(p.send(req)).rejects.toThrow(/unavailable/);
    expect(p.sent).toHaveLength(0);
    fail = false;
    const first = await p.send(req);
    const again = await p.send(req);
    expect(again).toEqual({ providerMessageId: first.providerMessageId, deduplicated: true });
    expect(p.sent).toHaveLength(1);
  });
});

describe('topology', () => {
  let tq: TaskqueueHandle;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-notifier-topo-'));
    tq = await startTaskqueue({ port: 0, dataDir: dir, durability: 'none' });
  });
  afterAll(async () => { await tq.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('declares exactly the agreed exchanges and queues (no 406 after declareTopology) and routes a retry back to its work queue', async () => {
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      await declareTopology(ch);
      const topology = notifierTopology();
      await topology.declare(ch); // would close the channel with 406 if any argument differed
      expect(topology.queues).toEqual({ customer: 'notify.customer', ops: 'notify.ops', dead: 'tasks.dead' });
      expect(topology.retrySteps.map((s) => [s.queue, s.ttlMs])).toEqual([['notify.retry.1s', 1000], ['notify.retry.5s', 5000], ['notify.retry.30s', 30000]]);
      expect(topology.retryRoutingKey(1, 'customer.sms')).toBe('retry.5s.customer.sms');
      expect(topology.originalRoutingKey('retry.5s.customer.sms')).toBe('customer.sms');
      expect(topology.originalRoutingKey('ops.webhook')).toBe('ops.webhook');

      const fast = notifierTopology({ prefix: 'topo-test.', retryDelaysMs: [10] });
      await fast.declare(ch);
      ch.publish(fast.exchanges.retry, fast.retryRoutingKey(0, 'ops.webhook'), Buffer.from('{}'), { headers: { 'x-attempt': 2 } });
      const deadline = Date.now() + 10_000;
      let got: amqp.GetMessage | false = false;
      while (!got && Date.now() < deadline) {
        got = await ch.get(fast.queues.ops, { noAck: true });
        if (!got) await new Promise((r) => setTimeout(r, 20));
      }
      expect(got && got.properties.headers?.['x-attempt']).toBe(2);
      expect(got && got.fields.routingKey).toBe('retry.10ms.ops.webhook');
      expect(await ch.checkQueue(fast.queues.customer)).toMatchObject({ messageCount: 0 });
    } finally {
      await conn.close();
    }
  });

  it('refuses custom delays on the agreed names', () => {
    expect(() => notifierTopology({ retryDelaysMs: [10] })).toThrow(/prefix/);
  });
});

const databases = [
  { name: 'SQLite', available: true, open: sqliteTestDatabase },
  { name: 'PostgreSQL', available: !!process.env.POSTGRES_URL, open: () => postgresTestDatabase(process.env.POSTGRES_URL!, 'ledger') },
];

for (const database of databases) {
  describe.skipIf(!database.available)(`ledger on ${database.name}`, () => {
    let t: TestDatabase;
    beforeAll(async () => { t = await database.open(); });
    afterAll(async () => { await t?.drop(); });
    const task = (key: string): NotificationTask => ({ type: 'notification', v: SCHEMA_VERSION, id: `t-${key}`, ts: 1, notificationId: `n-${key}`, idempotencyKey: key, audience: 'customer', channel: 'email', recipient: 'r', template: 't', data: {} });

    it('lets exactly one of many concurrent workers claim a key', async () => {
      const ledger = new NotificationLedger(t.db.prisma, 60_000);
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => ledger.claim(task('race'), 1, `w${i}`)));
      expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'busy')).toHaveLength(7);
    });

    it('takes over a dead worker\'s claim only after its lease, and never claims a sent key', async () => {
      // Within a 10 s lease the claim holds however slow this machine is; a 200 ms lease, on the
      // same claim, has expired once 300 ms have certainly passed since it was made.
      const long = new NotificationLedger(t.db.prisma, 10_000);
      const short = new NotificationLedger(t.db.prisma, 200);
      const claimedAt = Date.now();
      expect(await long.claim(task('lease'), 1, 'dead-worker')).toEqual({ kind: 'claimed', takeover: false });
      expect(await long.claim(task('lease'), 1, 'other')).toEqual({ kind: 'busy' });
      const wait = claimedAt + 300 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      expect(await short.claim(task('lease'), 1, 'other')).toEqual({ kind: 'claimed', takeover: true });
      expect(await long.claim(task('lease'), 1, 'dead-worker')).toEqual({ kind: 'busy' });
      await short.markSent('lease', 1, 'msg-1');
      expect(await short.claim(task('lease'), 2, 'third')).toEqual({ kind: 'already_sent', attempts: 1 });
    });

    it('lets a failed key be claimed again for the next attempt, and keeps dead-lettered keys dead', async () => {
      const ledger = new NotificationLedger(t.db.prisma, 60_000);
      expect((await ledger.claim(task('retry'), 1, 'w1')).kind).toBe('claimed');
      expect(await ledger.markFailed('retry', 'w1', 1, 'provider down', false)).toBe(true);
      expect((await ledger.claim(task('retry'), 2, 'w2')).kind).toBe('claimed');
      // w1 no longer holds the claim: it may not record anything for this key.
      expect(await ledger.markFailed('retry', 'w1', 2, 'late', true)).toBe(false);
      expect(await ledger.markFailed('retry', 'w2', 2, 'provider down', true)).toBe(true);
      expect(await ledger.claim(task('retry'), 3, 'w3')).toEqual({ kind: 'already_dead', attempts: 2 });
      expect(await t.db.prisma.notification.findUnique({ where: { idempotencyKey: 'retry' } })).toMatchObject({ status: 'dead_lettered', attempts: 2, lastError: 'provider down' });
    });
  });
}
