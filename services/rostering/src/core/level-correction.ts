import { CITY, type DemandHistory } from './demand-history.js';

/**
 * Today's level, seen in today's orders. A model trained on a few days learns the level of those
 * days: three days of history before a Monday are a Friday, a Saturday and a Sunday, a quarter to
 * a third busier than the Monday it then forecasts, and a handful of training days cannot teach
 * it the weekday (its city_day_trend feature sees today, but a network fitted on days whose trend
 * was near 1 damps it). So the forecast is rescaled by how the model has done over the last two
 * hours: city-wide, the orders that came over what it forecast for the same buckets one step
 * ahead. A prior on both sides keeps quiet hours (a few orders) from swinging it, and the factor
 * is bounded. Computed from the history alone, so a restarted service, a retrained model and the
 * held-out evaluation (training.ts) all correct the same way.
 */
export interface LevelCorrectionOptions {
  /** Past origins compared (default 8: the last two hours of 15-minute buckets). */
  window?: number;
  /** Orders added to both sides (default 8: about one quiet hour's city-wide orders). */
  prior?: number;
  /** Bounds on the factor (default 0.5 … 2). */
  min?: number;
  max?: number;
}

export const LEVEL_WINDOW = 8;
export const LEVEL_PRIOR = 8;

/**
 * The factor for forecasts made at `origin`: (orders that came in buckets q+1 + prior) over
 * (the model's one-step city-wide forecast made at q + prior), for q = origin − window … origin − 1
 * whose bucket q+1 the history covers. `firstStep(q)` is the model's forecast for bucket q+1
 * made at origin q, summed over the zones. 1 when nothing can be compared.
 */
export function levelCorrection(history: DemandHistory, origin: number, firstStep: (q: number) => number, opts: LevelCorrectionOptions = {}): number {
  const window = opts.window ?? LEVEL_WINDOW;
  const prior = opts.prior ?? LEVEL_PRIOR;
  let came = 0;
  let forecast = 0;
  let n = 0;
  for (let q = origin - window; q < origin; q++) {
    if (q < history.firstBucket() || !history.covers(q + 1)) continue;
    forecast += firstStep(q);
    came += history.orders(CITY, q + 1);
    n++;
  }
  if (n === 0) return 1;
  const factor = (came + prior) / (forecast + prior);
  return Math.min(opts.max ?? 2, Math.max(opts.min ?? 0.5, factor));
}
