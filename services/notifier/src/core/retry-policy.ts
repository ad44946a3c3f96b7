/**
 * What to do after a failed send: retry after the next backoff step, or give up. Pure.
 * Attempt n (1-based) that fails is retried through step min(n-1, last), so delays grow
 * 1 s → 5 s → 30 s (then stay at 30 s) until maxAttempts attempts have been made.
 */
export type RetryDecision =
  | { kind: 'retry'; stepIndex: number; nextAttempt: number }
  | { kind: 'dead_letter'; reason: string };

export function decideAfterFailure(attempt: number, maxAttempts: number, stepCount: number, error: string): RetryDecision {
  if (attempt >= maxAttempts) return { kind: 'dead_letter', reason: `provider failed ${attempt} times (max ${maxAttempts}); last error: ${error}` };
  return { kind: 'retry', stepIndex: Math.min(attempt - 1, stepCount - 1), nextAttempt: attempt + 1 };
}

/** The attempt number a delivery carries in header x-attempt (first delivery: 1). Garbage counts as 1. */
export function attemptOf(headers: Record<string, unknown> | undefined, header = 'x-attempt'): number {
  const raw = headers?.[header];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : typeof raw === 'bigint' ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
