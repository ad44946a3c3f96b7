import { describe, expect, it } from 'vitest';
import { describeRedrive } from '../src/index.js';

// Moved from contracts' dead-letter test: the redrive engine is the kit's.
describe('redrive report', () => {
  it('answers a redrive in words', () => {
    const base = { queue: 'tasks.dead', dryRun: false, left: [], remaining: 0 };
    expect(describeRedrive({ ...base, examined: 0, moved: [], movedTotal: 0 })).toBe('No dead letters in tasks.dead: nothing to redrive.');
    expect(describeRedrive({ ...base, examined: 2, moved: [{ exchange: 'notifications', routingKey: 'customer.email', count: 2 }], movedTotal: 2 }))
      .toBe('Moved 2 messages back to notifications (customer.email); 0 left in tasks.dead.');
    expect(describeRedrive({ ...base, dryRun: true, examined: 2, remaining: 2, moved: [{ exchange: '', routingKey: 'q', count: 1 }], movedTotal: 1, left: [{ preview: 'x', routingKey: '', why: 'no origin', redriven: 0 }] }))
      .toBe('Would move 1 message back to the default exchange (q); 2 left in tasks.dead. Left 1 message where it was: 1 because no origin.');
    // Messages redriven before died again after it: the answer says so instead of reading as a fix.
    expect(describeRedrive({ ...base, examined: 1, remaining: 1, moved: [{ exchange: 'notifications', routingKey: 'customer.email', count: 1 }], movedTotal: 1, movedRedrivenBefore: 1, mostRedriven: 2 }))
      .toBe('Moved 1 message back to notifications (customer.email); 1 left in tasks.dead. Of these, 1 had been redriven before (up to 2 times) and died again each time: unless the cause is fixed, expect it straight back.');
  });

  it('counts several messages left for one reason without "2 because it was"', () => {
    const why = 'it was redriven 3 or more times already and dead-lettered again each time (force redrives it anyway)';
    const left = [0, 1].map(() => ({ preview: 'x', routingKey: 'customer.email', why, redriven: 3 }));
    const text = describeRedrive({ queue: 'tasks.dead', dryRun: false, examined: 3, moved: [], movedTotal: 0, remaining: 3, left: [...left, { preview: 'y', routingKey: '', why: 'no origin', redriven: 0 }] });
    expect(text).toBe(`Moved nothing; 3 left in tasks.dead. Left 3 messages where they were: 2, each because ${why}; 1 because no origin.`);
  });
});
