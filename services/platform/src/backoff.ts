// Restart policy for supervised processes: exponential backoff that resets once a process has
// stayed up long enough to count as healthy, so a crash loop slows down but a rare crash restarts fast.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** uptime after which the next crash is treated as the first one again */
  healthyAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000, healthyAfterMs: 60_000 };

export interface RestartState {
  consecutiveCrashes: number;
}

/** Delay before restarting a process that ran for `uptimeMs` and then crashed; updates `state`. */
export function nextRestartDelay(state: RestartState, uptimeMs: number, policy: BackoffPolicy = defaultBackoff): number {
  if (uptimeMs >= policy.healthyAfterMs) state.consecutiveCrashes = 0;
  const delay = Math.min(policy.maxMs, policy.initialMs * 2 ** state.consecutiveCrashes);
  state.consecutiveCrashes += 1;
  return delay;
}
