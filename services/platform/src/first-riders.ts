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
  /** give up after this long (the line then says so) */
  timeoutMs?: number;
  stopped?: () => boolean;
  /**
   * Simulated ms where the live simulator starts, once known: only a frame past it counts (its
   * riders moved since; a first start's history alone does not make the map live).
   */
  liveFrom?: () => number | null;
}

/** Wall seconds from start to the first frame with riders, or null if none came in time. */
export async function waitForFirstRiders(opts: FirstRidersOptions): Promise<number | null> {
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  while (Date.now() < deadline && !opts.stopped?.()) {
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
