import type { LogEvent } from '@riderflow/contracts';
import { latLonDistance } from '@riderflow/geo';

/** An order delivered within this many minutes of its click is on time. */
export const ON_TIME_MIN = 40; // as rostering's benchmark counts "within 40 min"
const HOUR = 3_600_000;
const BUSY = new Set(['to_store', 'waiting', 'to_customer']);

export interface Kpis {
  created: number;
  delivered: number;
  cancelled: number;
  clickToDoorMeanMin: number;
  clickToDoorP90Min: number;
  /** Delivered within ON_TIME_MIN, as a share of the orders created. */
  onTimeShare: number;
  /** Share of on-shift pings in which the rider was busy with an order. */
  utilisation: number;
  distanceKm: number;
}

export interface KpiReport {
  total: Kpis;
  /** Hour h covers [fromMs + h·1h, fromMs + (h+1)·1h); orders by their click, riders by ping time. */
  hourly: Kpis[];
}

interface Acc { created: number; delivered: number; cancelled: number; c2d: number[]; onTime: number; onShift: number; busy: number; metres: number }
const acc = (): Acc => ({ created: 0, delivered: 0, cancelled: 0, c2d: [], onTime: 0, onShift: 0, busy: 0, metres: 0 });

function p90(sorted: number[]): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)];
}

function finish(a: Acc): Kpis {
  const c2d = [...a.c2d].sort((x, y) => x - y);
  return {
    created: a.created, delivered: a.delivered, cancelled: a.cancelled,
    clickToDoorMeanMin: c2d.length ? c2d.reduce((s, v) => s + v, 0) / c2d.length : NaN,
    clickToDoorP90Min: p90(c2d),
    onTimeShare: a.created ? a.onTime / a.created : NaN,
    utilisation: a.onShift ? a.busy / a.onShift : NaN,
    distanceKm: a.metres / 1000,
  };
}

/**
 * KPIs of the orders placed in [fromMs, toMs) and of the riders' pings in it. Only events before
 * toMs count, for the recorded run and a lab run alike, so both are cut at the same instant.
 */
export function computeKpis(events: Iterable<LogEvent>, fromMs: number, toMs: number): KpiReport {
  const hours = Math.ceil((toMs - fromMs) / HOUR);
  const total = acc();
  const hourly = Array.from({ length: hours }, acc);
  const hourOfOrder = new Map<string, number>();
  const lastPing = new Map<string, { lat: number; lon: number }>();
  for (const e of events) {
    if (e.ts >= toMs) continue;
    switch (e.type) {
      case 'order.created': {
        if (e.placedAt < fromMs || e.placedAt >= toMs) break;
        const h = Math.floor((e.placedAt - fromMs) / HOUR);
        hourOfOrder.set(e.orderId, h);
        total.created++; hourly[h].created++;
        break;
      }
      case 'order.delivered': {
        const h = hourOfOrder.get(e.orderId);
        if (h === undefined) break;
        for (const a of [total, hourly[h]]) { a.delivered++; a.c2d.push(e.clickToDoorMin); if (e.clickToDoorMin <= ON_TIME_MIN) a.onTime++; }
        break;
      }
      case 'order.cancelled': {
        const h = hourOfOrder.get(e.orderId);
        if (h === undefined) break;
        total.cancelled++; hourly[h].cancelled++;
        break;
      }
      case 'rider.location': {
        if (e.ts < fromMs) break;
        const h = Math.floor((e.ts - fromMs) / HOUR);
        const prev = lastPing.get(e.riderId);
        const metres = prev ? latLonDistance(prev.lat, prev.lon, e.lat, e.lon) : 0;
        if (e.status === 'off_shift') { lastPing.delete(e.riderId); break; }
        lastPing.set(e.riderId, { lat: e.lat, lon: e.lon });
        const busy = BUSY.has(e.status) ? 1 : 0;
        for (const a of [total, hourly[h]]) { a.onShift++; a.busy += busy; a.metres += metres; }
        break;
      }
      default: break;
    }
  }
  return { total: finish(total), hourly: hourly.map(finish) };
}

export const KPI_NAMES: { key: keyof Kpis; label: string; format: (v: number) => string }[] = [
  { key: 'created', label: 'orders created', format: (v) => String(v) },
  { key: 'delivered', label: 'delivered', format: (v) => String(v) },
  { key: 'clickToDoorMeanMin', label: 'click-to-door mean (min)', format: (v) => v.toFixed(2) },
  { key: 'clickToDoorP90Min', label: 'click-to-door p90 (min)', format: (v) => v.toFixed(2) },
  { key: 'onTimeShare', label: `delivered ≤${ON_TIME_MIN} min (of created)`, format: (v) => `${(100 * v).toFixed(1)} %` },
  { key: 'cancelled', label: 'cancelled', format: (v) => String(v) },
  { key: 'utilisation', label: 'rider utilisation', format: (v) => `${(100 * v).toFixed(1)} %` },
  { key: 'distanceKm', label: 'distance ridden (km)', format: (v) => v.toFixed(1) },
];

/** Relative difference of b against a (0.05 = 5 % more); NaN when a is 0 or missing. */
export function relativeDiff(a: number, b: number): number {
  return a === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? NaN : (b - a) / a;
}
