import { describe, expect, it } from 'vitest';
import { LogEventSchema, TOPICS, topicForEvent, type LogEvent } from '@riderflow/contracts';
import { Simulation } from '../src/engine/simulation.js';
import { drive, greedyDispatcher, MIN, MONDAY_NOON, smallCity } from './helpers.js';

/** Every event type the simulator can emit. */
const SIMULATOR_TYPES = [
  'rider.location', 'rider.shift_started', 'rider.shift_ended', 'weather.updated',
  'order.created', 'order.ready', 'order.assigned', 'order.picked_up', 'order.delivered', 'order.cancelled',
];

function checkAll(events: LogEvent[]) {
  for (const e of events) {
    const r = LogEventSchema.safeParse(JSON.parse(JSON.stringify(e)));
    if (!r.success) throw new Error(`${e.type} ${e.id} rejected: ${r.error.message}`);
    expect(TOPICS[topicForEvent(e)].types as readonly string[]).toContain(e.type);
  }
}

describe('every event the simulator emits passes the contracts', () => {
  it('closed loop (instructions applied), across shift changes', () => {
    const { world, settings } = smallCity('schemas', 40);
    // 14:00–20:00 spans shift ends and starts; weather and cancellations happen too.
    const sim = new Simulation(world, { ...settings, pingIntervalMs: 20_000, startMs: MONDAY_NOON + 2 * 60 * MIN, endMs: MONDAY_NOON + 8 * 60 * MIN });
    const events = drive(sim, settings.endMs + 6 * 60 * MIN, greedyDispatcher());
    checkAll(events);
    const types = new Set(events.map((e) => e.type));
    for (const t of SIMULATOR_TYPES) expect(types, t).toContain(t);
    expect(new Set(events.filter((e) => e.type === 'rider.location').map((e) => (e as { status: string }).status))).toEqual(
      new Set(['idle', 'to_store', 'waiting', 'to_customer', 'off_shift']),
    );
  });

  it('history mode', () => {
    const { world, settings } = smallCity('schemas-h', 40);
    const sim = new Simulation(world, { ...settings, history: true, pingIntervalMs: 60_000 });
    const events = drive(sim, settings.endMs);
    checkAll(events);
    const types = new Set(events.map((e) => e.type));
    for (const t of SIMULATOR_TYPES) if (t !== 'rider.shift_ended') expect(types, t).toContain(t);
  });
});
