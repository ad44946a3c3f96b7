/**
 * Wall-clock pacing, kept pure: given how long we have been running, how far may the simulated
 * clock go (speed mode), or how many more events may we emit (rate mode).
 */
export type Pace = { kind: 'speed'; speed: number } | { kind: 'rate'; eventsPerSec: number } | { kind: 'max' };

export function paceFrom(speed: number, rate?: number): Pace {
  if (rate !== undefined) return { kind: 'rate', eventsPerSec: rate };
  return Number.isFinite(speed) ? { kind: 'speed', speed } : { kind: 'max' };
}

/** The simulated time the clock should have reached after `wallElapsedMs`. */
export function targetSimTime(pace: Pace, simStartMs: number, wallElapsedMs: number): number {
  return pace.kind === 'speed' ? simStartMs + pace.speed * wallElapsedMs : Infinity;
}

/** Events still allowed now (rate mode); Infinity otherwise. */
export function eventBudget(pace: Pace, wallElapsedMs: number, emitted: number): number {
  return pace.kind === 'rate' ? Math.max(0, Math.floor((pace.eventsPerSec * wallElapsedMs) / 1000) - emitted) : Infinity;
}

export interface ProgressSample {
  wallElapsedMs: number;
  simNowMs: number;
  simStartMs: number;
  /** Events acknowledged by the log since the previous sample, and the wall time between. */
  sentDelta: number;
  wallDeltaMs: number;
  pendingEvents: number;
}

export interface Verdict {
  eventsPerSec: number;
  onTarget: boolean;
  /** Plain words: "on target", "BEHIND by 12 s of simulated time …". */
  text: string;
}

/** Judges whether the run keeps up with what was asked, in words a user understands. */
export function judge(pace: Pace, s: ProgressSample): Verdict {
  const eps = s.wallDeltaMs > 0 ? (s.sentDelta * 1000) / s.wallDeltaMs : 0;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  if (pace.kind === 'speed') {
    const target = targetSimTime(pace, s.simStartMs, s.wallElapsedMs);
    const lagWallS = (target - s.simNowMs) / pace.speed / 1000;
    if (lagWallS > 2) {
      return { eventsPerSec: eps, onTarget: false, text: `BEHIND: clock ${Math.round((target - s.simNowMs) / 1000)} simulated s behind ×${pace.speed} — cannot keep up at ${fmt(eps)} ev/s` };
    }
    return { eventsPerSec: eps, onTarget: true, text: `on target (×${pace.speed})` };
  }
  if (pace.kind === 'rate') {
    const ok = eps >= pace.eventsPerSec * 0.9 || s.wallElapsedMs < 3000;
    return ok
      ? { eventsPerSec: eps, onTarget: true, text: `on target (${fmt(pace.eventsPerSec)} ev/s)` }
      : { eventsPerSec: eps, onTarget: false, text: `BEHIND: ${fmt(eps)} of ${fmt(pace.eventsPerSec)} ev/s — cannot keep up` };
  }
  const factor = s.wallElapsedMs > 0 ? (s.simNowMs - s.simStartMs) / s.wallElapsedMs : 0;
  return { eventsPerSec: eps, onTarget: true, text: `max speed (×${fmt(factor)} real time)` };
}
