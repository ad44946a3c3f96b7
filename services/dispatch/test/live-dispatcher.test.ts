import { describe, expect, it } from 'vitest';
import { DispatchAssignedSchema, RiderInstructionSchema, type LogEvent } from '@riderflow/contracts';
import { dispatchConfig } from '../src/core/config.js';
import { plannedTravel as straightLineTravel } from '@riderflow/geo';
import { LiveDispatcher } from '../src/core/live-dispatcher.js';

const T0 = Date.UTC(2025, 2, 3, 12, 0, 0);
const MIN = 60_000;
const env = (type: string, id: string, ts: number) => ({ type, v: 1 as const, id, ts });

function created(orderId: string, ts: number, readyInMin: number, dropLat = 52.51): LogEvent {
  return {
    ...env('order.created', orderId, ts),
    type: 'order.created',
    orderId,
    storeId: 's1',
    customerId: `cust-${orderId}`,
    zoneId: 'z1',
    storeLat: 52.5,
    storeLon: 13.4,
    dropLat,
    dropLon: 13.4,
    placedAt: ts,
    expectedReadyAt: ts + readyInMin * MIN,
  } as LogEvent;
}

function ping(riderId: string, ts: number, lat: number, status: 'idle' | 'off_shift' = 'idle'): LogEvent {
  return { ...env('rider.location', `${riderId}:${ts}`, ts), type: 'rider.location', riderId, zoneId: 'z1', lat, lon: 13.4, status, speedKmh: 0 } as LogEvent;
}

describe('LiveDispatcher', () => {
  it('turns events into a dispatch.assigned fact and a pickup instruction once the rider must leave', () => {
    const d = new LiveDispatcher(dispatchConfig({ prepositionEnabled: false }), straightLineTravel(18));
    d.apply({ ...env('rider.shift_started', 'r1:shift', T0), type: 'rider.shift_started', riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.41, shiftEnd: T0 + 240 * MIN } as LogEvent);
    d.apply(created('o1', T0, 15));
    expect(d.tick().events).toEqual([]); // ready in 15 min, rider a minute away: not yet
    d.apply(ping('r1', T0 + 13 * MIN, 52.5));
    const out = d.tick();
    expect(out.events).toHaveLength(1);
    const fact = DispatchAssignedSchema.parse(out.events[0]);
    expect(fact).toMatchObject({ riderId: 'r1', storeId: 's1', orderIds: ['o1'] });
    expect(fact.plannedPickupAt).toBeGreaterThanOrEqual(T0 + 15 * MIN);
    const instruction = RiderInstructionSchema.parse(out.instructions[0]);
    expect(instruction).toMatchObject({ action: 'pickup', riderId: 'r1', assignmentId: fact.assignmentId, storeLat: 52.5, storeLon: 13.4 });
    // assigned once only
    d.apply(ping('r1', T0 + 15 * MIN, 52.5));
    expect(d.tick().events).toEqual([]);
    expect(d.openOrders).toBe(0);
  });

  it('gives the orders back when a round could not be published, and dispatches them again', () => {
    const d = new LiveDispatcher(dispatchConfig({ prepositionEnabled: false }), straightLineTravel(18));
    d.apply({ ...env('rider.shift_started', 'r1:shift', T0), type: 'rider.shift_started', riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, shiftEnd: T0 + 240 * MIN } as LogEvent);
    d.apply(created('o1', T0, 0));
    const first = d.tick();
    expect(first.events).toHaveLength(1);
    expect(d.openOrders).toBe(0);
    d.revertLastRound();
    expect(d.openOrders).toBe(1);
    const again = d.tick();
    expect(again.events).toEqual([expect.objectContaining({ type: 'dispatch.assigned', riderId: 'r1', orderIds: ['o1'] })]);
  });

  it('never assigns a rider whose shift ends before the pickup, and forgets riders going off shift', () => {
    const d = new LiveDispatcher(dispatchConfig({ prepositionEnabled: false }), straightLineTravel(18));
    d.apply({ ...env('rider.shift_started', 'r1:shift', T0), type: 'rider.shift_started', riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, shiftEnd: T0 + 5 * MIN } as LogEvent);
    d.apply(created('o1', T0, 10));
    d.apply(ping('r1', T0 + 4 * MIN, 52.5));
    expect(d.tick().events).toEqual([]);
    d.apply(ping('r1', T0 + 6 * MIN, 52.5, 'off_shift'));
    expect(d.ridersOnShift).toBe(0);
  });

  it('repositions an idle rider toward a store with recent demand', () => {
    const d = new LiveDispatcher(dispatchConfig(), straightLineTravel(18));
    for (let i = 0; i < 4; i++) d.apply(created(`o${i}`, T0 + i * MIN, 10));
    for (let i = 0; i < 4; i++) d.apply({ ...env('order.cancelled', `c${i}`, T0 + 5 * MIN), type: 'order.cancelled', orderId: `o${i}`, reason: 'customer' } as LogEvent);
    d.apply(ping('r9', T0 + 6 * MIN, 52.56)); // ~6.6 km north: 22 min at 18 km/h, too far
    expect(d.tick().events).toEqual([]);
    d.apply(ping('r8', T0 + 12 * MIN, 52.52)); // ~2.2 km north: 7 min
    const out = d.tick();
    expect(out.events).toEqual([expect.objectContaining({ type: 'dispatch.repositioned', riderId: 'r8', zoneId: 'z1', lat: 52.5, lon: 13.4 })]);
    expect(RiderInstructionSchema.parse(out.instructions[0])).toMatchObject({ action: 'reposition', riderId: 'r8' });
  });

  it('runs a round only once per reoptimizeEveryMin of simulated time, whatever the number of events', () => {
    const d = new LiveDispatcher(dispatchConfig({ prepositionEnabled: false, reoptimizeEveryMin: 2 }), straightLineTravel(18));
    d.apply({ ...env('rider.shift_started', 'r1:shift', T0), type: 'rider.shift_started', riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, shiftEnd: T0 + 240 * MIN } as LogEvent);
    expect(d.tick().events).toEqual([]); // a round ran at T0: nothing to do yet
    d.apply(created('o1', T0 + MIN, 0));
    expect(d.tick().events).toEqual([]); // a minute later: the next round is not due
    expect(d.openOrders).toBe(1);
    d.apply(ping('r1', T0 + 2 * MIN, 52.5));
    expect(d.simNowMs).toBe(T0 + 2 * MIN);
    expect(d.tick().events).toEqual([expect.objectContaining({ type: 'dispatch.assigned', riderId: 'r1', orderIds: ['o1'] })]);
  });

  it('does not take a rider still riding behind its plan as free: a free rider nearer in time gets the next order', () => {
    const d = new LiveDispatcher(dispatchConfig({ prepositionEnabled: false }), straightLineTravel(18));
    const shift = (riderId: string, lat: number) => d.apply({ ...env('rider.shift_started', `${riderId}:shift`, T0), type: 'rider.shift_started', riderId, zoneId: 'z1', lat, lon: 13.4, shiftEnd: T0 + 480 * MIN } as LogEvent);
    shift('r1', 52.5);
    d.apply(created('o1', T0, 0)); // drop 1.1 km north of the store: planned free again within ~12 min
    expect(d.tick().events).toEqual([expect.objectContaining({ riderId: 'r1', orderIds: ['o1'] })]);
    d.apply({ ...env('order.picked_up', 'o1:picked', T0 + 3 * MIN), type: 'order.picked_up', orderId: 'o1', riderId: 'r1' } as LogEvent);
    // 20 min later r1 (slower than planned) is still half way to o1's door; r2 is idle 1.7 km from the store
    shift('r2', 52.515);
    d.apply({ ...ping('r1', T0 + 20 * MIN, 52.505), status: 'to_customer' } as LogEvent);
    d.apply(created('o2', T0 + 20 * MIN, 0));
    // r1 would reach the store from o1's door in ~4 min, but only after finishing o1 (~6 min): r2 (~6 min) is sooner
    expect(d.tick().events).toEqual([expect.objectContaining({ riderId: 'r2', orderIds: ['o2'] })]);
  });

  it('frees a rider whose delivery should have ended long ago (its events were lost)', () => {
    const d = new LiveDispatcher(dispatchConfig({ prepositionEnabled: false }), straightLineTravel(18));
    d.apply({ ...env('rider.shift_started', 'r1:shift', T0), type: 'rider.shift_started', riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, shiftEnd: T0 + 480 * MIN } as LogEvent);
    d.apply(created('o1', T0, 0, 52.6)); // dropped ~11 km north: ~37 min away at 18 km/h
    expect(d.tick().events).toHaveLength(1);
    // o1 is never reported delivered. Two hours later r1 is taken to be free where it last was seen
    // (at the store), not at o1's drop, so o2 is picked up at once rather than after the ride back.
    d.apply(created('o2', T0 + 120 * MIN, 0));
    const [fact] = d.tick().events;
    expect(fact).toEqual(expect.objectContaining({ type: 'dispatch.assigned', riderId: 'r1', orderIds: ['o2'] }));
    expect((fact as { plannedPickupAt: number }).plannedPickupAt).toBeLessThan(T0 + 125 * MIN);
  });
});
