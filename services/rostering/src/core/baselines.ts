import type { DemandHistory } from './demand-history.js';
import { lastWeekKnown, movingAverage, sameBucketLastWeek, sameBucketYesterday } from './features.js';
import { errorMetrics, type ErrorMetrics } from './metrics.js';
import type { Sample } from './features.js';

export const BASELINES = ['seasonal_naive_yesterday', 'seasonal_naive_last_week', 'moving_average_1h'] as const;
export type BaselineName = (typeof BASELINES)[number];

/** A baseline's forecast for origin+1 .. origin+horizon. */
export function baselineForecast(name: BaselineName, h: DemandHistory, zoneId: string, origin: number, horizon: number): number[] {
  const out: number[] = [];
  const ma = name === 'moving_average_1h' ? movingAverage(h, zoneId, origin) : 0;
  for (let i = 1; i <= horizon; i++) {
    const t = origin + i;
    if (name === 'seasonal_naive_yesterday') out.push(sameBucketYesterday(h, zoneId, t, origin));
    else if (name === 'seasonal_naive_last_week') out.push(sameBucketLastWeek(h, zoneId, t, origin));
    else out.push(ma);
  }
  return out;
}

export function evaluateBaselines(h: DemandHistory, samples: Sample[], horizon: number): Record<BaselineName, ErrorMetrics> {
  const actual = samples.map((s) => s.y);
  const result = {} as Record<BaselineName, ErrorMetrics>;
  for (const name of BASELINES) {
    result[name] = errorMetrics(actual, samples.map((s) => baselineForecast(name, h, s.zoneId, s.origin, horizon)));
  }
  return result;
}

/**
 * What a baseline's score stands for when it is not what its name says: with under a week of
 * history "last week" falls back to yesterday (sameBucketLastWeek), and its MAE then equals
 * yesterday's. Said with the scores, so a page does not show two equal baselines unexplained.
 */
export function baselineNotes(h: DemandHistory, samples: Sample[], horizon: number): Partial<Record<BaselineName, string>> {
  let forecasts = 0;
  let fellBack = 0;
  for (const s of samples) {
    for (let i = 1; i <= horizon; i++) {
      forecasts++;
      if (!lastWeekKnown(h, s.origin + i)) fellBack++;
    }
  }
  if (fellBack === 0) return {};
  return {
    seasonal_naive_last_week: fellBack === forecasts
      ? 'not enough history: same as yesterday'
      : `not enough history for ${Math.round((100 * fellBack) / forecasts)} % of the forecasts: those are yesterday's`,
  };
}

/** The baseline with the lowest MAE; the service forecasts with it when no model can be used. */
export function bestBaseline(metrics: Record<BaselineName, ErrorMetrics>): BaselineName {
  let best: BaselineName = 'seasonal_naive_yesterday';
  for (const name of BASELINES) {
    const m = metrics[name];
    if (Number.isFinite(m.mae) && !(metrics[best].mae <= m.mae)) best = name;
  }
  return best;
}
