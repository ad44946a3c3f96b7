import { BASELINES, type BaselineName } from '../src/core/baselines.js';

/** One published plan's window, per zone: what it forecast, what then arrived, what each baseline would have said. */
export interface PlanRecord {
  bucketStart: number;
  modelVersion: string;
  zones: { zoneId: string; forecast: number; actual: number; baselines: Record<BaselineName, number> }[];
}

export interface ForecastScore {
  windows: number;
  zoneWindows: number;
  /** Mean absolute error per zone and window, in orders per zone per plan window (45 min). */
  mae: number;
  baselineMae: Record<BaselineName, number>;
  best: BaselineName;
  /** Forecast total over actual total, minus 1. */
  bias: number;
  baselineBias: Record<BaselineName, number>;
  actualTotal: number;
}

export function scoreRecords(records: readonly PlanRecord[]): ForecastScore {
  let err = 0;
  let f = 0;
  let a = 0;
  let n = 0;
  const bErr = Object.fromEntries(BASELINES.map((b) => [b, 0])) as Record<BaselineName, number>;
  const bSum = Object.fromEntries(BASELINES.map((b) => [b, 0])) as Record<BaselineName, number>;
  for (const r of records) {
    for (const z of r.zones) {
      err += Math.abs(z.forecast - z.actual);
      f += z.forecast;
      a += z.actual;
      n++;
      for (const b of BASELINES) {
        bErr[b] += Math.abs(z.baselines[b] - z.actual);
        bSum[b] += z.baselines[b];
      }
    }
  }
  const baselineMae = Object.fromEntries(BASELINES.map((b) => [b, bErr[b] / Math.max(1, n)])) as Record<BaselineName, number>;
  const baselineBias = Object.fromEntries(BASELINES.map((b) => [b, a > 0 ? bSum[b] / a - 1 : NaN])) as Record<BaselineName, number>;
  const best = BASELINES.reduce((x, y) => (baselineMae[y] < baselineMae[x] ? y : x));
  return { windows: records.length, zoneWindows: n, mae: err / Math.max(1, n), baselineMae, best, bias: a > 0 ? f / a - 1 : NaN, baselineBias, actualTotal: a };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The printed report: per model version and overall, an hourly city-wide table, and the verdict on target 1. */
export function liveForecastReport(records: readonly PlanRecord[], minHours: number): string {
  if (records.length === 0) return 'no complete plan windows on the log yet: nothing to score';
  const lines: string[] = [];
  const first = records[0].bucketStart;
  const last = records[records.length - 1].bucketStart + 45 * 60_000;
  const hours = (last - first) / 3_600_000;
  lines.push(`plans from ${hhmm(first)} to ${hhmm(last)} simulated (${hours.toFixed(1)} h); errors in orders per zone per 45-minute plan window`);
  const row = (label: string, s: ForecastScore) =>
    `${label.padEnd(28)} ${String(s.windows).padStart(5)} ${s.mae.toFixed(3).padStart(9)} ${pct(s.bias).padStart(9)}   ` +
    BASELINES.map((b) => `${b} ${s.baselineMae[b].toFixed(3)} (${pct(s.baselineBias[b])})`).join('  ');
  lines.push(`${'forecast source'.padEnd(28)} ${'plans'.padStart(5)} ${'MAE'.padStart(9)} ${'bias'.padStart(9)}   baselines on the same windows: MAE (bias)`);
  const versions = [...new Set(records.map((r) => r.modelVersion))];
  for (const v of versions) lines.push(row(v, scoreRecords(records.filter((r) => r.modelVersion === v))));
  const all = scoreRecords(records);
  lines.push(row('all plans', all));

  lines.push('', `per simulated hour (UTC) of the plans' start: city-wide orders per 45 min (mean over the hour's plans), then MAE per zone and window of the model and of the best baseline overall (${all.best}), their ratio, and the hour's bias`);
  lines.push(`  ${'hour'.padEnd(16)} ${'plans'.padStart(5)} ${'forecast'.padStart(8)} ${'baseline'.padStart(8)} ${'actual'.padStart(7)} ${'MAE'.padStart(7)} ${'MAE bl'.padStart(7)} ${'ratio'.padStart(6)} ${'bias'.padStart(9)}   source`);
  const byHour = new Map<number, PlanRecord[]>();
  for (const r of records) {
    const h = Math.floor(r.bucketStart / 3_600_000) * 3_600_000;
    byHour.set(h, [...(byHour.get(h) ?? []), r]);
  }
  let peak = { at: 0, actual: -1 };
  for (const [h, rs] of byHour) {
    const sum = (pick: (z: PlanRecord['zones'][number]) => number) => rs.reduce((s, r) => s + r.zones.reduce((t, z) => t + pick(z), 0), 0) / rs.length;
    const actual = sum((z) => z.actual);
    if (actual > peak.actual) peak = { at: h, actual };
    const s = scoreRecords(rs);
    const bl = s.baselineMae[all.best];
    lines.push(`  ${hhmm(h)} ${String(rs.length).padStart(5)} ${sum((z) => z.forecast).toFixed(1).padStart(8)} ${sum((z) => z.baselines[all.best]).toFixed(1).padStart(8)} ${actual.toFixed(1).padStart(7)} ` +
      `${s.mae.toFixed(3).padStart(7)} ${bl.toFixed(3).padStart(7)} ${(s.mae / bl).toFixed(2).padStart(6)} ${pct(s.bias).padStart(9)}   ${rs.map((r) => r.modelVersion).filter((v, i, a) => a.indexOf(v) === i).join(', ')}`);
  }
  const ratio = all.mae / all.baselineMae[all.best];
  const maeOk = ratio <= 0.9;
  const biasOk = Math.abs(all.bias) <= 0.15;
  const spanOk = hours >= minHours;
  lines.push('');
  lines.push(`busiest hour in the span: ${hhmm(peak.at)} (${peak.actual.toFixed(1)} orders per 45 min)`);
  lines.push(`RESULT live forecast: MAE ${all.mae.toFixed(3)} vs best baseline ${all.best} ${all.baselineMae[all.best].toFixed(3)} = ${ratio.toFixed(2)}× (target ≤ 0.90×: ${maeOk ? 'MET' : 'NOT MET'}); ` +
    `total bias ${pct(all.bias)} (target within ±15 %: ${biasOk ? 'MET' : 'NOT MET'}); ${hours.toFixed(1)} simulated hours (need ≥ ${minHours}: ${spanOk ? 'MET' : 'NOT MET'})`);
  return lines.join('\n');
}
