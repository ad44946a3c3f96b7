import { describe, expect, it } from 'vitest';
import { summariseReason } from '../src/reason.js';

describe('a dead letter reason in one line', () => {
  it('keeps the first problem and counts the others', () => {
    const long = 'invalid task notification: to: Invalid input: expected string, received undefined; channel: Invalid option: expected one of "email"|"sms"|"push"; idempotencyKey: Invalid input: expected string, received undefined';
    expect(summariseReason(long)).toBe('invalid task notification: to: Invalid input: expected string, received undefined (and 2 more problems)');
  });

  it('cuts a single endless problem and folds its lines', () => {
    const s = summariseReason('not JSON:\n' + 'x'.repeat(500));
    expect(s.length).toBeLessThanOrEqual(110);
    expect(s).not.toContain('\n');
    expect(s.endsWith('…')).toBe(true);
  });

  it('leaves a short reason as it is', () => {
    expect(summariseReason('empty message (zero bytes)')).toBe('empty message (zero bytes)');
  });
});
