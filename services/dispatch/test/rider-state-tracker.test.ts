import { describe, expect, it } from 'vitest';
import { DispatchRiderStateSchema, type LogEvent } from '@riderflow/contracts';
import { RiderStateTracker } from '../src/adapters/rider-state-tracker.js';

const T0 = Date.UTC(2025, 2, 3, 12, 0, 0);
const MIN = 60_000;
const ping = (riderId: string, ts: number, lat: number, status: 'idle' | 'off_shift' = 'idle'): LogEvent =>
  ({ type: 'rider.location', v: 1, id: `${riderId}:${ts}`, ts, riderId, zoneId: 'z1', lat, lon: 13.4, status, speedKmh: 0 });

describe('RiderStateTracker', () => {
  it('keeps one latest state per changed rider, valid for the topic, and a tombstone when it goes off shift', () => {
    const t = new RiderStateTracker();
    t.apply({ type: 'rider.shift_started', v: 1, id: 's1', ts: T0, riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, shiftEnd: T0 + 180 * MIN });
    t.apply(ping('r1', T0 + MIN, 52.51));
    t.apply(ping('r1', T0 + 2 * MIN, 52.52));
    t.apply(ping('r2', T0 + 2 * MIN, 52.6));
    const changes = t.takeChanges();
    expect([...changes.keys()].sort()).toEqual(['r1', 'r2']);
    expect(DispatchRiderStateSchema.parse(changes.get('r1'))).toMatchObject({ lat: 52.52, onShiftSince: T0, shiftEnd: T0 + 180 * MIN, seenAt: T0 + 2 * MIN });
    // a rider first seen by a ping: 4 h of shift assumed, as the core does
    expect(changes.get('r2')).toMatchObject({ onShiftSince: T0 + 2 * MIN, shiftEnd: T0 + 2 * MIN + 240 * MIN });
    expect(t.takeChanges().size).toBe(0);

    t.apply({ type: 'rider.shift_ended', v: 1, id: 'e1', ts: T0 + 3 * MIN, riderId: 'r1' });
    t.apply(ping('r2', T0 + 3 * MIN, 52.6, 'off_shift'));
    t.apply({ type: 'rider.shift_ended', v: 1, id: 'e2', ts: T0 + 3 * MIN, riderId: 'never-seen' });
    expect(t.takeChanges()).toEqual(new Map([['r1', null], ['r2', null]]));
  });

  it('gives a failed write back without overwriting a newer change', () => {
    const t = new RiderStateTracker();
    t.restore({ v: 1, riderId: 'r1', lat: 52.5, lon: 13.4, onShiftSince: T0, shiftEnd: T0 + 60 * MIN, seenAt: T0 });
    expect(t.takeChanges().size).toBe(0); // a restored state is not written again
    t.apply(ping('r1', T0 + MIN, 52.51));
    t.apply(ping('r3', T0 + MIN, 52.7));
    const failed = t.takeChanges();
    t.apply(ping('r1', T0 + 2 * MIN, 52.52));
    t.giveBack(failed);
    const again = t.takeChanges();
    expect(again.get('r1')).toMatchObject({ lat: 52.52, onShiftSince: T0 }); // the newer one
    expect(again.get('r3')).toMatchObject({ lat: 52.7 }); // the failed one, retried
  });
});
