import { describe, expect, it } from 'vitest';
import { OrderCancelledSchema, type LogEvent } from '@riderflow/contracts';
import { formatStranded, inFlightOrders, restartCancellations } from '../src/engine/stranded-orders.js';
import { Simulation } from '../src/engine/simulation.js';
import { MONDAY_NOON, smallCity } from './helpers.js';

const base = { v: 1 as const };
const created = (orderId: string, ts: number): LogEvent => ({ ...base, type: 'order.created', id: `${orderId}:c`, ts, orderId, storeId: 's1', customerId: 'c1', zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: ts, expectedReadyAt: ts + 600_000 });
const assigned = (orderId: string, ts: number): LogEvent => ({ ...base, type: 'order.assigned', id: `${orderId}:a`, ts, orderId, riderId: 'r1', assignmentId: 'a1' });
const picked = (orderId: string, ts: number): LogEvent => ({ ...base, type: 'order.picked_up', id: `${orderId}:p`, ts, orderId, riderId: 'r1' });
const delivered = (orderId: string, ts: number): LogEvent => ({ ...base, type: 'order.delivered', id: `${orderId}:d`, ts, orderId, riderId: 'r1', placedAt: 0, clickToDoorMin: 30 });
const cancelled = (orderId: string, ts: number): LogEvent => ({ ...base, type: 'order.cancelled', id: `${orderId}:x`, ts, orderId, reason: 'customer' });

describe('orders in flight on the log', () => {
  it('keeps the open ones at their furthest stage, whatever order the partitions interleave in', () => {
    const events = [
      picked('o1', 30), created('o1', 10), assigned('o1', 20), // o1: picked up (read out of order)
      created('o2', 10), delivered('o2', 40), // closed
      created('o3', 10), cancelled('o3', 15), // closed
      created('o4', 50), // open, nobody had it
      assigned('o5', 5), // created before the window read: open, assigned
      created('o6', 10), delivered('o6', 100), // delivered after the cut: open before it
    ];
    expect(inFlightOrders(events, 100)).toEqual([
      { orderId: 'o5', stage: 'assigned', riderId: 'r1', lastAt: 5 },
      { orderId: 'o6', stage: 'created', lastAt: 10 },
      { orderId: 'o1', stage: 'picked_up', riderId: 'r1', lastAt: 30 },
      { orderId: 'o4', stage: 'created', lastAt: 50 },
    ]);
  });

  it('closes each with a valid cancellation at the restart, saying why', () => {
    const open = inFlightOrders([created('o4', 50), picked('o1', 30)], 100);
    const cancels = restartCancellations(open, 1_000);
    for (const c of cancels) expect(OrderCancelledSchema.parse(c)).toEqual(c);
    expect(cancels.map((c) => [c.orderId, c.reason, c.ts])).toEqual([['o1', 'simulator_restart', 1_000], ['o4', 'simulator_restart', 1_000]]);
    expect(formatStranded(open)).toBe('continuing the log: 2 orders an earlier run left in flight (1 created, 1 picked up) cancelled, reason simulator_restart: in-flight orders are not resumed');
    expect(formatStranded([])).toBe('continuing the log: no order of an earlier run was in flight');
  });
});

describe('the cancellations of a resumed start', () => {
  it('go out at the start, after the world\'s own start (weather, shift starts), so the newest lines show them', () => {
    const { world, settings } = smallCity('at-start', 30);
    const start = MONDAY_NOON + 37_000;
    const cancels = restartCancellations(inFlightOrders([created('o1', start - 60_000), assigned('o2', start - 5_000)], start), start);
    const out: LogEvent[] = [];
    new Simulation(world, { ...settings, startMs: start, atStart: cancels }).advance(start + 1, out);
    const atStart = out.filter((e) => e.ts === start);
    expect(atStart.filter((e) => e.type === 'weather.updated' || e.type === 'rider.shift_started').length).toBeGreaterThan(5);
    expect(atStart.slice(-2)).toEqual(cancels); // the last lines of that instant
  });
});
