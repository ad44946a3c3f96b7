/**
 * The slice of the log's events the rostering core reads. Structural on purpose: the core stays
 * free of I/O and schema libraries, and any validated `LogEvent` from @riderflow/contracts fits.
 */
export interface AnyEvent {
  type: string;
  ts: number;
}

export interface OrderCreatedLike extends AnyEvent {
  type: 'order.created';
  orderId: string;
  zoneId: string;
  storeLat: number;
  storeLon: number;
  dropLat: number;
  dropLon: number;
}

export interface WeatherUpdatedLike extends AnyEvent {
  type: 'weather.updated';
  zoneId: string;
  rainMmH: number;
}

export type RiderStatusLike = 'idle' | 'to_store' | 'waiting' | 'to_customer' | 'repositioning' | 'off_shift';

export interface RiderLocationLike extends AnyEvent {
  type: 'rider.location';
  riderId: string;
  zoneId: string;
  lat: number;
  lon: number;
  status: RiderStatusLike;
}

export interface RiderShiftStartedLike extends AnyEvent {
  type: 'rider.shift_started';
  riderId: string;
  zoneId: string;
  lat: number;
  lon: number;
  shiftEnd: number;
}

export interface RiderShiftEndedLike extends AnyEvent {
  type: 'rider.shift_ended';
  riderId: string;
}

/** Any order event after creation: assigned, cancelled or delivered orders no longer wait for a rider. */
export interface OrderClosedLike extends AnyEvent {
  type: 'order.assigned' | 'order.cancelled' | 'order.delivered' | 'order.picked_up';
  orderId: string;
}
