import type { LabKpis } from '@riderflow/contracts';

// The lab page's rows, each read from a run's recorded KPIs. Two numbers about 40 minutes, with
// two names, because they answer two questions:
// - "on time ≤ 40 min (% of orders ended)": of the orders placed in the window that were
//   delivered or cancelled before its end, the share delivered within 40 min. The live page's
//   "On time" tile has this base (orders that ended; a cancellation is not on time).
// - "delivered ≤ 40 min (% of orders created)": the lab's own measure (apps/lab/src/kpis.ts, and
//   rostering's benchmarks). Orders still open when the window ends count as not delivered, so on
//   a short window, or near the newest record, it is low however well riders do: a 1-hour window
//   ends with ~40 minutes of its orders still on their way.

export interface LabKpiRow {
  id: string;
  label: string;
  value: (k: LabKpis) => number | null;
  format: (v: number) => string;
  /** a share: differences are in points */
  points?: boolean;
}

/** Orders placed in the window and neither delivered nor cancelled when it ended. */
export const openAtEnd = (k: LabKpis): number => Math.max(0, k.created - k.delivered - k.cancelled);

/** Delivered within 40 min, of the orders that ended (delivered or cancelled) before the window's end. */
export function onTimeOfEnded(k: LabKpis): number | null {
  const ended = k.delivered + k.cancelled;
  if (k.onTimeShare === null || ended === 0) return null;
  return Math.round(k.onTimeShare * k.created) / ended;
}

export const LAB_KPI_ROWS: LabKpiRow[] = [
  { id: 'created', label: 'orders created', value: (k) => k.created, format: (v) => v.toFixed(0) },
  { id: 'delivered', label: 'orders delivered', value: (k) => k.delivered, format: (v) => v.toFixed(0) },
  { id: 'cancelled', label: 'orders cancelled', value: (k) => k.cancelled, format: (v) => v.toFixed(0) },
  { id: 'open', label: 'orders still open at the window’s end', value: openAtEnd, format: (v) => v.toFixed(0) },
  { id: 'c2dMean', label: 'click-to-door mean (min)', value: (k) => k.clickToDoorMeanMin, format: (v) => v.toFixed(2) },
  { id: 'c2dP90', label: 'click-to-door p90 (min)', value: (k) => k.clickToDoorP90Min, format: (v) => v.toFixed(2) },
  { id: 'onTime', label: 'on time ≤ 40 min (% of orders ended: delivered or cancelled)', value: onTimeOfEnded, format: (v) => (100 * v).toFixed(1), points: true },
  { id: 'within40OfCreated', label: 'delivered ≤ 40 min (% of orders created; open ones count as not)', value: (k) => k.onTimeShare, format: (v) => (100 * v).toFixed(1), points: true },
  { id: 'utilisation', label: 'rider utilisation (% of on-shift time busy)', value: (k) => k.utilisation, format: (v) => (100 * v).toFixed(1), points: true },
  { id: 'distanceKm', label: 'distance ridden (km)', value: (k) => k.distanceKm, format: (v) => v.toFixed(1) },
];

/** The sentence under a run whose window ended with many orders still open, or null. */
export function openOrdersNote(k: LabKpis): string | null {
  const open = openAtEnd(k);
  if (k.created === 0 || open / k.created < 0.1) return null;
  return `${open} of the ${k.created} orders placed in the window (${((100 * open) / k.created).toFixed(0)} %) were still on their way when it ended, so “delivered ≤ 40 min (% of orders created)” counts them as not delivered; “on time (% of orders ended)” leaves them out. A longer window, or one that ends earlier than the newest record, settles them.`;
}
