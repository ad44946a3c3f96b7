import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../src/core/assignment.js';

/** Seeded generator so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Exhaustive: most feasible pairs first, then least cost. */
function bruteForce(cost: number[][]): { pairs: number; cost: number } {
  const n = cost.length;
  const m = cost[0].length;
  let best = { pairs: -1, cost: Infinity };
  const used = new Array(m).fill(false);
  const go = (i: number, pairs: number, sum: number) => {
    if (i === n) {
      if (pairs > best.pairs || (pairs === best.pairs && sum < best.cost - 1e-9)) best = { pairs, cost: sum };
      return;
    }
    go(i + 1, pairs, sum); // row i unmatched
    for (let j = 0; j < m; j++) {
      if (used[j] || !Number.isFinite(cost[i][j])) continue;
      used[j] = true;
      go(i + 1, pairs + 1, sum + cost[i][j]);
      used[j] = false;
    }
  };
  go(0, 0, 0);
  return best;
}

describe('solveAssignment (Hungarian)', () => {
  it('matches brute force on 400 random small matrices, square and rectangular, with forbidden pairs', () => {
    const rand = rng(42);
    for (let t = 0; t < 400; t++) {
      const n = 1 + Math.floor(rand() * 6);
      const m = 1 + Math.floor(rand() * 6);
      const forbidP = t % 3 === 0 ? 0 : rand() * 0.5;
      const negative = t % 4 === 0;
      const cost = Array.from({ length: n }, () =>
        Array.from({ length: m }, () => (rand() < forbidP ? Infinity : Math.round((rand() - (negative ? 0.5 : 0)) * 1000) / 10)),
      );
      const { rowToCol, cost: total } = solveAssignment(cost);
      const expected = bruteForce(cost);
      const cols = [...rowToCol].filter((j) => j >= 0);
      expect(new Set(cols).size, 'each column at most once').toBe(cols.length);
      rowToCol.forEach((j, i) => {
        if (j >= 0) expect(Number.isFinite(cost[i][j]), 'never a forbidden pair').toBe(true);
      });
      const sum = [...rowToCol].reduce((s, j, i) => (j >= 0 ? s + cost[i][j] : s), 0);
      expect(sum).toBeCloseTo(total, 6);
      expect(cols.length, `pairs, case ${t}`).toBe(expected.pairs);
      expect(total, `cost, case ${t}`).toBeCloseTo(expected.cost, 6);
    }
  });

  it('picks the cheaper of two crossing assignments', () => {
    const { rowToCol, cost } = solveAssignment([
      [1, 10],
      [2, 30],
    ]);
    expect([...rowToCol]).toEqual([1, 0]);
    expect(cost).toBe(12);
  });

  it('leaves a row unmatched when all its options are forbidden', () => {
    const { rowToCol } = solveAssignment([
      [Infinity, Infinity],
      [5, 1],
    ]);
    expect([...rowToCol]).toEqual([-1, 1]);
  });

  it('handles empty input and rejects NaN', () => {
    expect([...solveAssignment([]).rowToCol]).toEqual([]);
    expect(() => solveAssignment([[NaN]])).toThrow(/NaN/);
  });
});
