import { KPI_NAMES, relativeDiff, type KpiReport, type Kpis } from './kpis.js';

function pad(s: string, n: number, left = false): string {
  return left ? s.padStart(n) : s.padEnd(n);
}

function diffText(a: number, b: number, key: keyof Kpis): string {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '';
  const d = b - a;
  const r = relativeDiff(a, b);
  const abs = key === 'onTimeShare' || key === 'utilisation' ? `${d >= 0 ? '+' : ''}${(100 * d).toFixed(1)} pt` : `${d >= 0 ? '+' : ''}${Number.isInteger(d) ? d : d.toFixed(2)}`;
  return Number.isFinite(r) ? `${abs} (${r >= 0 ? '+' : ''}${(100 * r).toFixed(1)} %)` : abs;
}

/** Lab KPIs over several seeds: the mean, and min–max when the seeds differ. */
function spread(runs: KpiReport[], pick: (r: KpiReport) => number): { mean: number; min: number; max: number } {
  const vs = runs.map(pick).filter(Number.isFinite);
  if (vs.length === 0) return { mean: NaN, min: NaN, max: NaN };
  return { mean: vs.reduce((s, v) => s + v, 0) / vs.length, min: Math.min(...vs), max: Math.max(...vs) };
}

/** The side-by-side table: total, then each hour; recorded vs lab (mean over seeds) and the difference. */
export function formatComparison(recorded: KpiReport, lab: KpiReport[], labName: string, fromMs: number): string {
  const lines: string[] = [];
  const sections: { title: string; rec: Kpis; pick: (r: KpiReport) => Kpis }[] = [
    { title: 'total', rec: recorded.total, pick: (r) => r.total },
    ...recorded.hourly.map((rec, h) => ({ title: `hour ${new Date(fromMs + h * 3_600_000).toISOString().slice(11, 16)}Z`, rec, pick: (r: KpiReport) => r.hourly[h] })),
  ];
  const w = [34, 12, 22, 22];
  for (const s of sections) {
    lines.push(`${pad(s.title, w[0])}${pad('recorded', w[1], true)}${pad(labName, w[2], true)}  ${'lab − recorded'}`);
    for (const k of KPI_NAMES) {
      const sp = spread(lab, (r) => s.pick(r)[k.key]);
      const labText = lab.length > 1 && sp.max > sp.min ? `${k.format(sp.mean)} [${k.format(sp.min)}–${k.format(sp.max)}]` : k.format(sp.mean);
      lines.push(`  ${pad(k.label, w[0] - 2)}${pad(k.format(s.rec[k.key]), w[1], true)}${pad(labText, w[2], true)}  ${diffText(s.rec[k.key], sp.mean, k.key)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
