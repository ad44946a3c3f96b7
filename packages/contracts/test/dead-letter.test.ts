import { describe, expect, it } from 'vitest';
import { deadLetterHeaders, oneLine, readDeadLetter, redriveHeaders } from '../src/index.js';

const xDeath = [
  { count: 2, reason: 'expired', queue: 'notify.retry.30s', exchange: 'notifications.retry', 'routing-keys': ['retry.30s.customer.sms'], time: { '!': 'timestamp', value: 1_800_000_000 } },
  { count: 1, reason: 'rejected', queue: 'notify.customer', exchange: 'notifications', 'routing-keys': ['customer.sms'], time: 1_799_999_990 },
];

describe('the dead-letter contract', () => {
  it('writes the origin, a one-line reason, the attempts and the time, and keeps every other header untouched', () => {
    const h = deadLetterHeaders({ 'x-death': xDeath, 'x-first-death-queue': 'notify.customer', trace: 't1' }, {
      origin: { exchange: 'notifications', routingKey: 'customer.sms', queue: 'notify.customer' },
      reason: 'provider failed\n  at send (providers.ts:70)\n',
      attempts: 4,
      at: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(h).toEqual({
      'x-death': xDeath, 'x-first-death-queue': 'notify.customer', trace: 't1',
      'x-original-exchange': 'notifications', 'x-original-routing-key': 'customer.sms', 'x-original-queue': 'notify.customer',
      'x-reason': 'provider failed at send (providers.ts:70)', 'x-attempt': 4, 'x-dead-lettered-at': '2026-01-02T03:04:05.000Z',
    });
    expect(oneLine('x'.repeat(600))).toHaveLength(500);
    expect(oneLine('  \n ')).toBe('no reason given');
  });

  it('reads our origin first, else the newest x-death entry, else says why it cannot', () => {
    expect(readDeadLetter({ 'x-death': xDeath, 'x-original-exchange': '', 'x-original-routing-key': 'q1', 'x-original-queue': 'q1', 'x-reason': 'bad', 'x-attempt': 1 }))
      .toEqual({ known: true, by: 'consumer', origin: { exchange: '', routingKey: 'q1', queue: 'q1' }, reason: 'bad', attempts: 1, at: null });
    expect(readDeadLetter({ 'x-death': xDeath })).toEqual({
      known: true, by: 'broker', origin: { exchange: 'notifications.retry', routingKey: 'retry.30s.customer.sms', queue: 'notify.retry.30s' },
      reason: 'expired by the broker in notify.retry.30s (×2)', attempts: null, at: new Date(1_800_000_000_000).toISOString(),
    });
    expect(readDeadLetter(undefined)).toMatchObject({ known: false, why: expect.stringMatching(/nothing says where it came from/) });
    expect(readDeadLetter({ 'x-death': [] , 'x-reason': 'r' })).toMatchObject({ known: false, reason: 'r' });
  });

  it('redrive headers: ours removed, the broker history kept, the redrive counted', () => {
    const dead = deadLetterHeaders({ 'x-death': xDeath, 'x-attempt': 4, 'x-redriven': 1 }, { origin: { exchange: 'n', routingKey: 'k', queue: 'q' }, reason: 'r', attempts: 4 });
    expect(redriveHeaders(dead)).toEqual({ 'x-death': xDeath, 'x-attempt': 4, 'x-redriven': 2 });
    expect(redriveHeaders(undefined)).toEqual({ 'x-redriven': 1 });
  });
});
