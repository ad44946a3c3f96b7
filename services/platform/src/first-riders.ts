import { setTimeout as sleep } from 'node:timers/promises';

// "Dashboard ready" means what a user waits for: riders on the live map, not an open port. The
// platform asks the dashboard's own frame endpoint until it holds riders of the live simulation
// (the dashboard may have read a first start's history before), and prints how long that took
// from `npm start` (the smoke test reads the same line).

export interface FirstRidersOptions {
  /** the dashboard's base URL */
  url: string;
  /** wall ms when `npm start` began */
  startedAt: number;
  /**
   * After this long without riders, `onSlow` is called once and the wait goes on: on a loaded
   * machine a first start's page build alone has taken over 300 s, and a wait that gave up then
   * never printed the ready line at all.
   */
  slowAfterMs?: number;
  onSlow?: () => void;
  /** the only way the wait ends without riders (the platform is stopping): then null */
  stopped?: () => boolean;
  /**
   * Simulated ms where the live simulator starts, once known: only a frame past it counts (its
   * riders moved since; a first start's history alone does not make the map live).
   */
  liveFrom?: () => number | null;
}

/** Wall seconds from start to the first frame with riders, or null if the platform stopped first. */
export async function waitForFirstRiders(opts: FirstRidersOptions): Promise<number | null> {
  const slowAt = Date.now() + (opts.slowAfterMs ?? 300_000);
  let saidSlow = false;
  while (!opts.stopped?.()) {
    if (!saidSlow && Date.now() >= slowAt) {
      saidSlow = true;
      opts.onSlow?.();
    }
    try {
      const res = await fetch(`${opts.url}/api/frame`, { signal: AbortSignal.timeout(3_000) });
      if (res.ok) {
        const frame = (await res.json()) as { riders?: unknown[]; simTime?: number };
        const liveFrom = opts.liveFrom ? opts.liveFrom() : -Infinity;
        const live = liveFrom !== null && (frame.simTime ?? -Infinity) > liveFrom;
        if (live && (frame.riders?.length ?? 0) > 0) return (Date.now() - opts.startedAt) / 1000;
      }
    } catch {
      // not listening yet, or busy building its pages: ask again shortly
    }
    await sleep(250);
  }
  return null;
}
