import type { CallIn } from './allocation.js';

export interface CallInRequest {
  riders: number;
  zoneId?: string;
}

export interface CallInPolicy {
  /** Simulated minutes between two rounds of requests: called-in riders need time to show up in the next plans. */
  intervalMin: number;
  /** Most riders asked for in one round. */
  maxPerRound: number;
}

export const DEFAULT_CALL_IN_POLICY: CallInPolicy = { intervalMin: 30, maxPerRound: 10 };

/**
 * Rate-limits call-ins: at most one round per interval of simulated time. A round asks for the
 * plan's call-in for the coming hour only (never more than it, capped by maxPerRound), split over
 * the zones where the plan is shortest of riders.
 */
export class CallInLimiter {
  private lastRoundAt = -Infinity;
  constructor(private readonly policy: CallInPolicy = DEFAULT_CALL_IN_POLICY) {}

  next(nowMs: number, callIns: CallIn[], zones: { zoneId: string; ridersNeeded: number; ridersPresent: number }[]): CallInRequest[] {
    const hour = callIns.find((c) => c.hourStart <= nowMs + 3_600_000 && c.hourStart + 3_600_000 > nowMs);
    const riders = Math.min(hour?.riders ?? 0, this.policy.maxPerRound);
    if (riders <= 0 || nowMs - this.lastRoundAt < this.policy.intervalMin * 60_000) return [];
    this.lastRoundAt = nowMs;
    return splitByShortage(riders, zones);
  }
}

/** Splits `riders` over zones by shortage (needed − present), largest first; the rest goes without a zone. */
export function splitByShortage(riders: number, zones: { zoneId: string; ridersNeeded: number; ridersPresent: number }[]): CallInRequest[] {
  const short = new Map(zones.map((z) => [z.zoneId, Math.max(0, z.ridersNeeded - z.ridersPresent)]));
  const perZone = new Map<string, number>();
  let left = riders;
  while (left > 0) {
    let best: string | undefined;
    for (const [zoneId, s] of short) if (s > 0 && (best === undefined || s > short.get(best)! || (s === short.get(best)! && zoneId < best))) best = zoneId;
    if (best === undefined) break;
    short.set(best, short.get(best)! - 1);
    perZone.set(best, (perZone.get(best) ?? 0) + 1);
    left--;
  }
  const out: CallInRequest[] = [...perZone].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([zoneId, n]) => ({ riders: n, zoneId }));
  if (left > 0) out.push({ riders: left });
  return out;
}

/** The first `riders` riders of a round (largest shortages first); requests left empty are dropped. */
export function trimRequests(requests: CallInRequest[], riders: number): CallInRequest[] {
  const out: CallInRequest[] = [];
  let left = riders;
  for (const r of requests) {
    if (left <= 0) break;
    const n = Math.min(r.riders, left);
    out.push({ ...r, riders: n });
    left -= n;
  }
  return out;
}
