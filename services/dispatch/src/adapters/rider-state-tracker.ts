import type { DispatchRiderState, LogEvent } from '@riderflow/contracts';

const MIN = 60_000;

/**
 * Follows the rider events dispatch consumes and keeps each rider's latest state for the compacted
 * topic dispatch.rider-state, remembering which riders changed since the last `takeChanges`.
 * Mirrors how the core (LiveDispatcher.apply) learns riders: a shift start gives the shift end, a
 * ping from a rider not seen starting assumes `unknownShiftMin`, off shift (ping or shift end) is
 * a tombstone.
 */
export class RiderStateTracker {
  private readonly states = new Map<string, DispatchRiderState>();
  private readonly changed = new Map<string, DispatchRiderState | null>();

  constructor(private readonly unknownShiftMin = 240) {}

  /** Seeds the tracker with a state read back from the topic (not a change to write again). */
  restore(state: DispatchRiderState): void {
    this.states.set(state.riderId, state);
  }

  apply(e: LogEvent): void {
    switch (e.type) {
      case 'rider.shift_started':
        this.set({ v: 1, riderId: e.riderId, lat: e.lat, lon: e.lon, onShiftSince: e.ts, shiftEnd: e.shiftEnd, seenAt: e.ts });
        break;
      case 'rider.shift_ended':
        this.remove(e.riderId);
        break;
      case 'rider.location': {
        if (e.status === 'off_shift') {
          this.remove(e.riderId);
          break;
        }
        const prev = this.states.get(e.riderId);
        this.set(
          prev
            ? { ...prev, lat: e.lat, lon: e.lon, seenAt: Math.max(prev.seenAt, e.ts) }
            : { v: 1, riderId: e.riderId, lat: e.lat, lon: e.lon, onShiftSince: e.ts, shiftEnd: e.ts + this.unknownShiftMin * MIN, seenAt: e.ts },
        );
        break;
      }
      default:
        break;
    }
  }

  /** The riders changed since the last call: their latest state, or null for off shift. */
  takeChanges(): Map<string, DispatchRiderState | null> {
    const out = new Map(this.changed);
    this.changed.clear();
    return out;
  }

  /** Gives changes back after a failed write, unless a newer change replaced them meanwhile. */
  giveBack(changes: Map<string, DispatchRiderState | null>): void {
    for (const [id, s] of changes) if (!this.changed.has(id)) this.changed.set(id, s);
  }

  private set(s: DispatchRiderState): void {
    this.states.set(s.riderId, s);
    this.changed.set(s.riderId, s);
  }

  private remove(riderId: string): void {
    // a rider we never knew needs no tombstone
    if (!this.states.delete(riderId) && !this.changed.has(riderId)) return;
    this.changed.set(riderId, null);
  }
}
