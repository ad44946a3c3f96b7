/**
 * Minimum-cost assignment (the Hungarian algorithm with potentials, O(n² m)).
 *
 * Rows are matched to distinct columns so that the total cost is least. With n rows and m columns,
 * min(n, m) pairs are made. An entry of Infinity forbids the pair; a row whose only options are
 * forbidden comes back unmatched (-1) rather than forced.
 */
export interface AssignmentResult {
  /** rowToCol[i] = column of row i, or -1 when unmatched. */
  rowToCol: Int32Array;
  /** Sum of the costs of the pairs made (forbidden pairs excluded). */
  cost: number;
}

export function solveAssignment(cost: readonly (readonly number[])[]): AssignmentResult {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0].length;
  if (n === 0 || m === 0) return { rowToCol: new Int32Array(n).fill(-1), cost: 0 };
  for (const row of cost) {
    if (row.length !== m) throw new Error('cost matrix rows must all have the same length');
  }
  const transpose = n > m;
  const rows = transpose ? m : n;
  const cols = transpose ? n : m;
  // Forbidden pairs get a cost larger than any sum of finite ones, so they are used only when
  // nothing else completes the matching, and are dropped afterwards.
  let maxFinite = 0;
  for (const row of cost) for (const c of row) if (Number.isFinite(c)) maxFinite = Math.max(maxFinite, Math.abs(c));
  const big = (maxFinite + 1) * (rows + 1) * 4;
  const a = new Float64Array((rows + 1) * (cols + 1));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const c = transpose ? cost[j][i] : cost[i][j];
      if (Number.isNaN(c)) throw new Error(`cost[${transpose ? j : i}][${transpose ? i : j}] is NaN`);
      a[(i + 1) * (cols + 1) + (j + 1)] = Number.isFinite(c) ? c : big;
    }
  }
  const colMatch = hungarian(a, rows, cols);
  const rowToCol = new Int32Array(n).fill(-1);
  let total = 0;
  for (let j = 1; j <= cols; j++) {
    const i = colMatch[j];
    if (i === 0) continue;
    const r = transpose ? j - 1 : i - 1;
    const c = transpose ? i - 1 : j - 1;
    const v = cost[r][c];
    if (!Number.isFinite(v)) continue;
    rowToCol[r] = c;
    total += v;
  }
  return { rowToCol, cost: total };
}

/** 1-based matrix a[(i)(cols+1)+j], rows ≤ cols; returns p where p[j] is the row of column j (0 = none). */
function hungarian(a: Float64Array, n: number, m: number): Int32Array {
  const w = m + 1;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      const base = i0 * w;
      const ui0 = u[i0];
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a[base + j] - ui0 - v[j];
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
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  return p;
}
