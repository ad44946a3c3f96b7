/**
 * Minimum-cost assignment (Hungarian algorithm with potentials, O(n²m)) for an n×m cost matrix.
 * With more rows than columns the matrix is transposed, so every item of the smaller side is
 * matched. Returns, per row, the matched column or -1.
 */
export function hungarian(cost: number[][]): number[] {
  const n = cost.length;
  if (n === 0) return [];
  const m = cost[0].length;
  if (m === 0) return new Array(n).fill(-1);
  if (n > m) {
    const t: number[][] = Array.from({ length: m }, (_, j) => cost.map((row) => row[j]));
    const colOfT = hungarian(t);
    const rowAssign = new Array(n).fill(-1);
    colOfT.forEach((row, j) => {
      if (row >= 0) rowAssign[row] = j;
    });
    return rowAssign;
  }
  // 1-based arrays as in the classic e-maxx formulation; p[j] = row matched to column j.
  const u = new Array(n + 1).fill(0);
  const v = new Array(m + 1).fill(0);
  const p = new Array(m + 1).fill(0);
  const way = new Array(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array(m + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Array(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assign = new Array(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j] > 0) assign[p[j] - 1] = j - 1;
  return assign;
}
