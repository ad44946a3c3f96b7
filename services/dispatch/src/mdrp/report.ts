import type { MdrpMetrics } from './metrics.js';

const COLUMNS: [string, (m: MdrpMetrics) => string][] = [
  ['instance', (m) => m.instance],
  ['delivered', (m) => `${m.delivered}/${m.orders}`],
  ['undeliv%', (m) => m.undeliveredPct.toFixed(2)],
  ['c2d_mean', (m) => m.clickToDoorMean.toFixed(2)],
  ['c2d_p90', (m) => m.clickToDoorP90.toFixed(2)],
  ['overage', (m) => m.overageMean.toFixed(2)],
  ['r2p_mean', (m) => m.readyToPickupMean.toFixed(2)],
  ['util', (m) => m.utilization.toFixed(2)],
  ['$/order', (m) => m.costPerOrder.toFixed(2)],
  ['bundled%', (m) => m.bundledOrdersPct.toFixed(1)],
];

export function formatMetricsTable(rows: readonly MdrpMetrics[], extra: (string[] | null)[] = []): string {
  const cells = [COLUMNS.map(([h]) => h), ...rows.map((m) => COLUMNS.map(([, f]) => f(m)))];
  for (const e of extra) if (e) cells.push(e);
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

/** Averages over instances (each instance weighs the same, as in the paper's tables). */
export function averageRow(rows: readonly MdrpMetrics[], label = 'AVERAGE'): string[] {
  const avg = (f: (m: MdrpMetrics) => number) => rows.reduce((s, m) => s + f(m), 0) / rows.length;
  const delivered = rows.reduce((s, m) => s + m.delivered, 0);
  const orders = rows.reduce((s, m) => s + m.orders, 0);
  return [
    label,
    `${delivered}/${orders}`,
    avg((m) => m.undeliveredPct).toFixed(2),
    avg((m) => m.clickToDoorMean).toFixed(2),
    avg((m) => m.clickToDoorP90).toFixed(2),
    avg((m) => m.overageMean).toFixed(2),
    avg((m) => m.readyToPickupMean).toFixed(2),
    avg((m) => m.utilization).toFixed(2),
    avg((m) => m.costPerOrder).toFixed(2),
    avg((m) => m.bundledOrdersPct).toFixed(1),
  ];
}

/** Worst first: most undelivered (share), then the longest click-to-door, then by name. */
export function sortByUndelivered(rows: readonly MdrpMetrics[]): MdrpMetrics[] {
  return [...rows].sort((a, b) => b.undeliveredPct - a.undeliveredPct || b.clickToDoorMean - a.clickToDoorMean || (a.instance < b.instance ? -1 : 1));
}

/**
 * Averages over orders (every order weighs the same; large instances dominate). Means are weighted
 * by delivered orders, cost is total pay over total delivered; p90 and utilisation are per-instance
 * figures and are left blank.
 */
export function perOrderRow(rows: readonly MdrpMetrics[]): string[] {
  const delivered = rows.reduce((s, m) => s + m.delivered, 0);
  const orders = rows.reduce((s, m) => s + m.orders, 0);
  const weighted = (f: (m: MdrpMetrics) => number) => rows.reduce((s, m) => s + (m.delivered > 0 ? f(m) * m.delivered : 0), 0) / delivered;
  return [
    'PER ORDER',
    `${delivered}/${orders}`,
    ((100 * (orders - delivered)) / orders).toFixed(2),
    weighted((m) => m.clickToDoorMean).toFixed(2),
    '',
    weighted((m) => m.overageMean).toFixed(2),
    weighted((m) => m.readyToPickupMean).toFixed(2),
    '',
    weighted((m) => m.costPerOrder).toFixed(2),
    weighted((m) => m.bundledOrdersPct).toFixed(1),
  ];
}
