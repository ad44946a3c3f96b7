export interface ErrorMetrics {
  mae: number;
  rmse: number;
  n: number;
}

/** MAE and RMSE over every (sample, horizon step) pair. */
export function errorMetrics(actual: number[][], predicted: number[][]): ErrorMetrics {
  if (actual.length !== predicted.length) throw new Error(`metrics: ${actual.length} actual rows vs ${predicted.length} predicted`);
  let abs = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (a.length !== p.length) throw new Error(`metrics: row ${i} has ${a.length} actual vs ${p.length} predicted values`);
    for (let j = 0; j < a.length; j++) {
      const d = a[j] - p[j];
      abs += Math.abs(d);
      sq += d * d;
      n++;
    }
  }
  return n === 0 ? { mae: Number.NaN, rmse: Number.NaN, n } : { mae: abs / n, rmse: Math.sqrt(sq / n), n };
}
