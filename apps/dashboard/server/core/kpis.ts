import type { KpiTile } from '@riderflow/contracts';
import { mean, percentile } from './window.js';

// KPI tiles for the live page: each value over the last window of simulated time, and its change
// against the window before, so an operator sees direction as well as level.

export type { KpiTile };

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
    // Of the orders that ended (delivered or cancelled): a cancelled order was not on time. Over
    // delivered orders alone the tile read 100 % while orders were being cancelled, and disagreed
    // with the lab page's number of the same name. The lab's "on time" row uses this base too.
    onTime: f.delivered.length + f.cancelled > 0 ? f.delivered.filter((m) => m <= ON_TIME_MIN).length / (f.delivered.length + f.cancelled) : null,
    idle: f.ridersIdle,
    utilisation: f.ridersOnShift > 0 ? f.ridersBusy / f.ridersOnShift : null,
    cancellations: f.cancelled,
  };
}

const tiles: (Omit<KpiTile, 'key' | 'value' | 'previous' | 'delta'> & { key: keyof ReturnType<typeof values> })[] = [
  { key: 'ordersPerMin', label: 'Orders per minute', unit: 'orders/min', higherIsBetter: true, definition: 'Orders placed in the window, divided by its length in simulated minutes.' },
  { key: 'c2dMean', label: 'Click-to-door mean', unit: 'min', higherIsBetter: false, definition: 'Mean time from the customer placing an order to its delivery, over the orders delivered in the window.' },
  { key: 'c2dP90', label: 'Click-to-door p90', unit: 'min', higherIsBetter: false, definition: '9 in 10 orders delivered in the window took at most this long from placing to delivery.' },
  { key: 'onTime', label: `On time (≤ ${ON_TIME_MIN} min)`, unit: 'share', higherIsBetter: true, definition: `Of the orders that ended in the window (delivered or cancelled), the share delivered within ${ON_TIME_MIN} min of being placed; a cancelled order counts as not on time. The lab page's "on time" uses the same base.` },
  { key: 'idle', label: 'Idle riders', unit: 'riders', higherIsBetter: false, definition: 'Riders on shift with no order and no move to make, right now.' },
  { key: 'utilisation', label: 'Utilisation', unit: 'share', higherIsBetter: true, definition: 'Share of the riders on shift who are carrying out an order (to a store, waiting, or to a customer), right now.' },
  { key: 'cancellations', label: 'Cancellations', unit: 'orders', higherIsBetter: false, definition: 'Orders cancelled in the window, for any reason: by the customer, because no rider was free in time, or by the platform (orders in flight when it restarted).' },
];

/** previous: null when the previous window was not read in full (then no tile shows a change) */
export function kpiTiles(current: WindowFacts, previous: WindowFacts | null): KpiTile[] {
  const now = values(current);
  const before = previous ? values(previous) : null;
  return tiles.map((t) => {
    const value = now[t.key];
    const prev = before ? before[t.key] : null;
    return { ...t, value, previous: prev, delta: value !== null && prev !== null ? value - prev : null };
  });
}
