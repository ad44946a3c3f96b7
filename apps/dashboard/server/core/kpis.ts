import { mean, percentile } from './window.js';

// KPI tiles for the live page: each value over the last window of simulated time, and its change
// against the window before, so an operator sees direction as well as level.

export interface KpiTile {
  key: string;
  label: string;
  unit: string;
  value: number | null;
  previous: number | null;
  /** value - previous, null when either is unknown */
  delta: number | null;
  /** whether a rising value is good news (for colouring) */
  higherIsBetter: boolean;
}

export interface WindowFacts {
  windowMin: number;
  created: number;
  delivered: number[]; // click-to-door minutes of each delivery
  cancelled: number;
  ridersOnShift: number;
  ridersIdle: number;
  ridersBusy: number;
}

const ON_TIME_MIN = 40;

function values(f: WindowFacts) {
  return {
    ordersPerMin: f.windowMin > 0 ? f.created / f.windowMin : null,
    c2dMean: mean(f.delivered),
    c2dP90: percentile(f.delivered, 90),
    onTime: f.delivered.length ? f.delivered.filter((m) => m <= ON_TIME_MIN).length / f.delivered.length : null,
    idle: f.ridersIdle,
    utilisation: f.ridersOnShift > 0 ? f.ridersBusy / f.ridersOnShift : null,
    cancellations: f.cancelled,
  };
}

const tiles: { key: keyof ReturnType<typeof values>; label: string; unit: string; higherIsBetter: boolean }[] = [
  { key: 'ordersPerMin', label: 'Orders per minute', unit: 'orders/min', higherIsBetter: true },
  { key: 'c2dMean', label: 'Click-to-door mean', unit: 'min', higherIsBetter: false },
  { key: 'c2dP90', label: 'Click-to-door p90', unit: 'min', higherIsBetter: false },
  { key: 'onTime', label: 'On time (≤ 40 min)', unit: 'share', higherIsBetter: true },
  { key: 'idle', label: 'Idle riders', unit: 'riders', higherIsBetter: false },
  { key: 'utilisation', label: 'Utilisation', unit: 'share', higherIsBetter: true },
  { key: 'cancellations', label: 'Cancellations', unit: 'orders', higherIsBetter: false },
];

export function kpiTiles(current: WindowFacts, previous: WindowFacts): KpiTile[] {
  const now = values(current);
  const before = values(previous);
  return tiles.map((t) => {
    const value = now[t.key];
    const prev = before[t.key];
    return { ...t, value, previous: prev, delta: value !== null && prev !== null ? value - prev : null };
  });
}
