/**
 * Local search over a day's booking (shift-plan.ts bookShifts). The plan's worth is one sum over
 * buckets of the gains of each bucket's 1st, 2nd, … rider (booking-worth.ts: the rule's
 * n / (k + 1), or expected lost orders avoided); the greedy booking adds riders by the same gains.
 * Every move below is taken only when it
 * raises that sum by more than a rounding margin, so the search ends and, given the same inputs,
 * always ends in the same plan (the perturbations draw from a fixed-seed generator).
 *
 * Why more than single moves: re-placing one rider at a time stops where two riders would have
 * to move together (one earlier, one later, to cover a peak's edge without leaving a gap), and
 * the greedy order decides which such local optimum is reached.
 */
import { createRng } from '@riderflow/geo';

export interface PlacedShift {
  /** Shift length in buckets. */
  len: number;
  /** First bucket of the shift (the day's bucket index). */
  start: number;
}

export interface SearchSpace {
  /** Worth of one more rider in bucket b that has k: decreasing in k (each bucket's worth is concave). */
  gain: (b: number, k: number) => number;
  /** Riders per bucket, including riders booked earlier and every `placed` shift; updated in place. */
  booked: number[];
  /** First allowed start bucket and the bucket by which a shift must end. */
  earliest: number;
  close: number;
}

const EPS = 1e-9;

/** The plan's total worth: Σ over buckets of the gains of its 1st … k-th rider. */
export function planWorth(space: SearchSpace): number {
  let total = 0;
  for (let b = 0; b < space.booked.length; b++) for (let j = 0; j < space.booked[b]; j++) total += space.gain(b, j);
  return total;
}

/** Prefix sums of one more rider's worth per bucket: a window's worth is then two lookups. */
function marginalPrefix(space: SearchSpace): Float64Array {
  const { gain, booked } = space;
  const p = new Float64Array(booked.length + 1);
  for (let b = 0; b < booked.length; b++) p[b + 1] = p[b] + gain(b, booked[b]);
  return p;
}

/** The start with the largest worth for a shift of `len` buckets (ties: the earliest); -1 when none fits. */
export function bestStart(space: SearchSpace, len: number, prefix = marginalPrefix(space)): { start: number; worth: number } {
  let start = -1;
  let worth = -1;
  for (let s = space.earliest; s + len <= space.close; s++) {
    const w = prefix[s + len] - prefix[s];
    if (w > worth + EPS) {
      start = s;
      worth = w;
    }
  }
  return { start, worth };
}

const add = (booked: number[], p: PlacedShift, d: number) => {
  for (let b = p.start; b < p.start + p.len; b++) booked[b] += d;
};

/** One pass re-placing each shift alone at its best start; true when one moved. */
function singleMovePass(space: SearchSpace, placed: PlacedShift[]): boolean {
  let moved = false;
  for (const p of placed) {
    add(space.booked, p, -1);
    const prefix = marginalPrefix(space);
    const here = prefix[p.start + p.len] - prefix[p.start];
    const alt = bestStart(space, p.len, prefix);
    if (alt.start >= 0 && alt.worth > here + EPS) {
      p.start = alt.start;
      moved = true;
    }
    add(space.booked, p, 1);
  }
  return moved;
}

/**
 * One pass over every pair of shifts: both are taken off and put back at the best pair of starts
 * (for each start of the first, the second's best start given it); true when a pair moved.
 * With both off, the second's window at sb is worth its bare worth less, on the buckets the
 * first covers, what the first's rider takes off the next one's gain: two prefix sums, so a
 * pair of starts costs two lookups.
 */
function pairMovePass(space: SearchSpace, placed: PlacedShift[]): boolean {
  const { booked, gain, earliest, close } = space;
  const n = booked.length;
  const drop = new Float64Array(n + 1);
  let moved = false;
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i];
      const b = placed[j];
      if (a.start === b.start && a.len === b.len) continue; // interchangeable: nothing to gain
      add(booked, a, -1);
      add(booked, b, -1);
      const bare = marginalPrefix(space);
      for (let t = 0; t < n; t++) drop[t + 1] = drop[t] + (gain(t, booked[t]) - gain(t, booked[t] + 1));
      const worth = (sa: number, sb: number) => {
        let w = bare[sa + a.len] - bare[sa] + bare[sb + b.len] - bare[sb];
        const lo = Math.max(sa, sb);
        const hi = Math.min(sa + a.len, sb + b.len);
        if (hi > lo) w -= drop[hi] - drop[lo];
        return w;
      };
      let bestA = a.start;
      let bestB = b.start;
      let bestWorth = worth(a.start, b.start);
      for (let sa = earliest; sa + a.len <= close; sa++) {
        for (let sb = earliest; sb + b.len <= close; sb++) {
          const w = worth(sa, sb);
          if (w > bestWorth + EPS) {
            bestWorth = w;
            bestA = sa;
            bestB = sb;
          }
        }
      }
      if (bestA !== a.start || bestB !== b.start) {
        a.start = bestA;
        b.start = bestB;
        moved = true;
      }
      add(booked, a, 1);
      add(booked, b, 1);
    }
  }
  return moved;
}

/**
 * Improves the placed shifts in place: single-rider passes until none moves, then a pair pass,
 * and again, at most `passes` passes in all. `pairs` false: single moves only (the search before
 * issue 17's pair moves).
 */
export function localSearch(space: SearchSpace, placed: PlacedShift[], passes: number, pairs: boolean): void {
  for (let pass = 0; pass < passes; pass++) {
    if (singleMovePass(space, placed)) continue;
    if (!pairs || pass + 1 >= passes) break;
    pass++;
    if (!pairMovePass(space, placed)) break;
  }
}

/** Fixed seed of the perturbations (any constant: it only has to be the same every run). */
const KICK_SEED = 17;
/** Shifts moved to a random start per perturbation. */
const KICK_SIZE = 3;

/**
 * Iterated local search: `kicks` times, move a few shifts to random starts, search again, and keep
 * the result only when the plan's worth rose. Starts the search from the placed shifts as given.
 */
export function improveBooking(space: SearchSpace, placed: PlacedShift[], opts: { passes: number; pairs: boolean; kicks: number }): void {
  localSearch(space, placed, opts.passes, opts.pairs);
  // No passes means the greedy booking alone: a kick without a search after it is a random move.
  if (placed.length === 0 || opts.kicks <= 0 || opts.passes <= 0) return;
  // the project's one seeded generator (@riderflow/geo), so the perturbations are the same every run
  const rng = createRng(KICK_SEED);
  const rand = () => rng.next();
  let bestWorth = planWorth(space);
  for (let k = 0; k < opts.kicks; k++) {
    const saved = placed.map((p) => p.start);
    const savedBooked = [...space.booked];
    for (let m = 0; m < Math.min(KICK_SIZE, placed.length); m++) {
      const p = placed[Math.floor(rand() * placed.length)];
      const room = space.close - p.len - space.earliest + 1;
      if (room <= 0) continue;
      add(space.booked, p, -1);
      p.start = space.earliest + Math.floor(rand() * room);
      add(space.booked, p, 1);
    }
    localSearch(space, placed, opts.passes, opts.pairs);
    const worth = planWorth(space);
    if (worth > bestWorth + EPS) {
      bestWorth = worth;
    } else {
      placed.forEach((p, i) => (p.start = saved[i]));
      space.booked.splice(0, space.booked.length, ...savedBooked);
    }
  }
}
