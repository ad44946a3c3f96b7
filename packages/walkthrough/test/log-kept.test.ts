import { describe, expect, it } from 'vitest';
import { logKeptWords } from '../src/log-kept.js';

describe('the queue-vs-log evidence in words', () => {
  it('says the topic grew when records were written during the step', () => {
    expect(logKeptWords('order.events', { low: 0, high: 20966 }, { low: 0, high: 20990 })).toBe(
      "meanwhile order.events kept its first offset (0 → 0) and grew 20966 → 20990: every reader's reads deleted nothing.",
    );
  });

  it('does not say "grew" when nothing was written during the step', () => {
    const words = logKeptWords('order.events', { low: 0, high: 20966 }, { low: 0, high: 20966 });
    expect(words).not.toContain('grew');
    expect(words).toBe("meanwhile order.events kept its first offset (0 → 0) and kept its end (20966: nothing was written meanwhile): every reader's reads deleted nothing.");
  });

  it('does not say "kept its first offset" when the start moved', () => {
    expect(logKeptWords('order.events', { low: 0, high: 50 }, { low: 10, high: 60 })).toContain('moved its first offset 0 → 10');
  });
});
