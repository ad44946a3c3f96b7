import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@riderflow/contracts';
import { formatTakeOver, handoverMismatch, HandoverError, parseHandover } from '../src/engine/history-handover.js';
import { inFlightOrders } from '../src/engine/stranded-orders.js';
import { Simulation } from '../src/engine/simulation.js';
import { defaultDemand } from '../src/world/demand.js';
import { MIN, MONDAY_NOON, smallCity } from './helpers.js';

// A first start: history up to the live start, then a live run that takes the history's riders and
// in-flight orders over (pure engine; the platform's wiring is services/platform/test/first-start-handover.test.ts).

const HOUR = 60 * MIN;
const WORLD = { seed: 'handover', riders: 30, stores: 20, zones: 9 };

function historyThenHandover() {
  const { world, settings } = smallCity('handover', 30);
  const history = new Simulation(world, { ...settings, history: true, pingIntervalMs: 60_000, startMs: MONDAY_NOON - 6 * HOUR, endMs: MONDAY_NOON, demand: defaultDemand(30, 3) });
  const events: LogEvent[] = [];
  history.advance(MONDAY_NOON, events);
  return { world, settings, events, handover: history.historyHandover(WORLD) };
}

describe('the history hands its world over to the live run', () => {
  it('lists exactly the orders the log has in flight at its end, and the riders on shift', () => {
    const { events, handover } = historyThenHandover();
    const onLog = inFlightOrders(events, MONDAY_NOON).map((o) => o.orderId).sort();
    expect(onLog.length).toBeGreaterThan(3);
    expect(handover.orders.map((o) => o.plan.id).sort()).toEqual(onLog);
    expect(handover.endMs).toBe(MONDAY_NOON);
    expect(handover.positions.length).toBeGreaterThan(0);
    expect(formatTakeOver(handover)).toMatch(/^taking over from the history just written: \d+ riders where they are, \d+ orders in flight .* none cancelled for a restart$/);
  });

  it('the live run finishes every one of them and starts each rider where the history left it', () => {
    const { world, settings, events, handover } = historyThenHandover();
    const newest = Math.max(...events.map((e) => e.ts));
    const startMs = newest + 1_000; // as npm start does
    const live = new Simulation(world, { ...settings, startMs, endMs: startMs + HOUR, takeOver: handover });
    const out: LogEvent[] = [];
    live.advance(startMs + HOUR, out); // no dispatcher: the live run's own orders time out
    const handed = new Set(handover.orders.map((o) => o.plan.id));
    const endings = out.filter((e) => (e.type === 'order.delivered' || e.type === 'order.cancelled') && handed.has(e.orderId));
    expect(endings.filter((e) => e.type === 'order.cancelled' && e.reason !== 'customer')).toEqual([]);
    expect(endings.map((e) => 'orderId' in e && e.orderId).sort()).toEqual([...handed].sort());
    const starts = new Map(out.filter((e) => e.type === 'rider.shift_started' && e.ts === startMs).map((e) => ['riderId' in e ? e.riderId : '', e]));
    const origin = world.projection;
    for (const p of handover.positions) {
      const s = starts.get(p.riderId);
      expect(s, p.riderId).toBeDefined();
      const ll = origin.toLatLon({ x: p.x, y: p.y });
      expect(s).toMatchObject({ lat: ll.lat, lon: ll.lon });
    }
  });

  it('refuses a file that is not a hand-over, or one of another city or time, in words', () => {
    expect(() => parseHandover('{', 'h.json')).toThrow(HandoverError);
    expect(() => parseHandover('{', 'h.json')).toThrow(/h.json is not JSON/);
    expect(() => parseHandover('{"v":2}', 'h.json')).toThrow(/not a history hand-over: version 2/);
    const { handover } = historyThenHandover();
    expect(parseHandover(JSON.stringify(handover), 'h.json')).toEqual(handover);
    expect(handoverMismatch(handover, WORLD, MONDAY_NOON)).toBeNull();
    expect(handoverMismatch(handover, { ...WORLD, riders: 31 }, MONDAY_NOON)).toMatch(/another city \(riders 30, this run 31\)/);
    expect(handoverMismatch(handover, WORLD, MONDAY_NOON + 1)).toMatch(/after the history's end/);
  });
});
