// setTimeout for delays longer than Node's limit. Node runs a timer of more than 2^31-1 ms
// (24.8 days) after 1 ms instead (TimeoutOverflowWarning), and RabbitMQ accepts an `x-expires` or
// a message TTL of up to ten years: a queue declared with x-expires of 30 days was deleted at once.
// A long delay is waited in steps of at most the limit.

/** the longest delay Node's setTimeout honours */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** an unref'd timer; clearLongTimeout stops it whichever step it is in */
export interface LongTimer {
  timer: NodeJS.Timeout;
}

export function setLongTimeout(fn: () => void, ms: number): LongTimer {
  const handle = {} as LongTimer;
  const due = Date.now() + ms;
  const arm = (left: number): void => {
    handle.timer = setTimeout(() => {
      const rest = due - Date.now();
      if (rest > 0 && left > MAX_TIMER_MS) arm(rest);
      else fn();
    }, Math.min(Math.max(0, left), MAX_TIMER_MS));
    handle.timer.unref();
  };
  arm(ms);
  return handle;
}

export function clearLongTimeout(t: LongTimer | undefined): void {
  if (t) clearTimeout(t.timer);
}
