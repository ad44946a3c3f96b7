import { describe, expect, it } from 'vitest';
import { createRng, solveAssignment } from '../src/index.js';

/** The package's own seeded generator, so a failure reproduces. */
const rng = (seed: number) => createRng(seed).next;

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

  // Moved from rostering's allocation tests (rostering used this solver through a wrapper of its own).
  it('finds the minimum cost on random square and rectangular matrices, and on their transposes', () => {
    const rand = rng(3);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rand() * 5);
      const m = n + Math.floor(rand() * 3);
      const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => Math.round(rand() * 50)));
      const assign = [...solveAssignment(cost).rowToCol];
      expect(new Set(assign).size).toBe(n);
      expect(assign.reduce((s, j, i) => s + cost[i][j], 0)).toBe(bruteForce(cost).cost);
      // more rows than columns: every column matched, extra rows get -1
      const t = Array.from({ length: m }, (_, j) => cost.map((row) => row[j]));
      const back = [...solveAssignment(t).rowToCol];
      expect(back.filter((j) => j >= 0)).toHaveLength(n);
      expect(back.reduce((s, j, i) => s + (j >= 0 ? t[i][j] : 0), 0)).toBe(bruteForce(cost).cost);
    }
  });
});
