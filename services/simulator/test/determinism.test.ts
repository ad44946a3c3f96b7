import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeDigest, hashWorld } from '../src/engine/digest.js';
import { Simulation } from '../src/engine/simulation.js';
import { generateCity } from '../src/world/city.js';
import { drive, greedyDispatcher, smallCity } from './helpers.js';

const hashEvents = (events: unknown[]) => createHash('sha256').update(JSON.stringify(events)).digest('hex');

describe('the generator is deterministic', () => {
  it('same seed and options → same world and digest; different seed → different', () => {
    const a = smallCity('alpha');
    const b = smallCity('alpha');
    const c = smallCity('beta');
    expect(hashWorld(a.world)).toBe(hashWorld(b.world));
    expect(computeDigest(a.world, a.settings, 50)).toEqual(computeDigest(b.world, b.settings, 50));
    expect(computeDigest(a.world, a.settings, 20).orderCount).toBe(20);
    expect(hashWorld(c.world)).not.toBe(hashWorld(a.world));
    expect(computeDigest(c.world, c.settings, 50).combined).not.toBe(computeDigest(a.world, a.settings, 50).combined);
  });

  it('other options change the world: more riders, other zones', () => {
    const base = generateCity({ seed: 's', zones: 9, stores: 20, riders: 30 });
    expect(hashWorld(generateCity({ seed: 's', zones: 9, stores: 20, riders: 31 }))).not.toBe(hashWorld(base));
    expect(hashWorld(generateCity({ seed: 's', zones: 16, stores: 20, riders: 30 }))).not.toBe(hashWorld(base));
  });

  it('the digest holds for the live run: the orders created match the dry run, whatever the riders do', () => {
    const { world, settings } = smallCity('gamma');
    const digest = computeDigest(world, settings, 30);
    const withDispatch = drive(new Simulation(world, settings), settings.startMs + 90 * 60_000, greedyDispatcher());
    const withoutDispatch = drive(new Simulation(world, settings), settings.startMs + 90 * 60_000);
    const created = (events: typeof withDispatch) => events.filter((e) => e.type === 'order.created');
    expect(created(withDispatch).length).toBeGreaterThan(30);
    expect(created(withDispatch)).toEqual(created(withoutDispatch));
    // Delivery actually differed between the two runs, yet demand and weather did not.
    expect(withDispatch.some((e) => e.type === 'order.delivered')).toBe(true);
    expect(withoutDispatch.some((e) => e.type === 'order.delivered')).toBe(false);
    expect(withDispatch.filter((e) => e.type === 'weather.updated')).toEqual(withoutDispatch.filter((e) => e.type === 'weather.updated'));
    expect(digest.orderCount).toBe(30);
  });

  it('a whole run with the same instructions is identical event for event', () => {
    const { world, settings } = smallCity('delta');
    const run = () => drive(new Simulation(world, settings), settings.startMs + 2 * 60 * 60_000, greedyDispatcher());
    const a = run();
    expect(hashEvents(a)).toBe(hashEvents(run()));
    const other = smallCity('epsilon');
    expect(hashEvents(drive(new Simulation(other.world, other.settings), settings.startMs + 2 * 60 * 60_000, greedyDispatcher()))).not.toBe(hashEvents(a));
  });

  it('history mode is fully deterministic', () => {
    const { world, settings } = smallCity('zeta');
    const run = () => drive(new Simulation(world, { ...settings, history: true }), settings.endMs);
    const a = run();
    expect(a.filter((e) => e.type === 'order.delivered').length).toBeGreaterThan(10);
    expect(hashEvents(a)).toBe(hashEvents(run()));
  });
});
