import { TOPIC, type LogEvent, type TopicName } from '@riderflow/contracts';

// How far back a fresh dashboard reads the log before its group's committed offsets (a resumed
// start: `npm start` again on the same data). Its group resumes where the last process stopped,
// with empty memory, so without this read-back the map knew only the stores and orders that
// changed after the restart. The windows are in simulated time, counted back from the log's
// newest record, and per topic because what each topic feeds needs a different memory:
//
// - order.events, a day: open orders need 2 h (the live state drops an open order with no news
//   for 2 h as a leftover anyway), but stores are named only on order.created (no topic carries the
//   store list, and the city's stores depend on the simulator's seed and options, which the
//   dashboard does not get). Orders follow the daily cycle: on a tour, at 00:25 the last 2 h named
//   4 of 120 stores; a day of orders names every store that gets orders at all (115 of 120 at
//   12:07). A day is also what the rostering view's hourly calibration shows. At the default demand
//   a day is ~1,400 orders, ~6,000 order events: of a read-back of ~12,000 records in all.
// - weather.updates and roster.plans, a day: one record per zone per change and one plan per
//   quarter hour: small topics whose latest record is the state (weather per zone, the plan).
// - rider.location, 10 minutes: every rider on shift pings every few simulated seconds, so 10
//   minutes holds each one's latest position many times over; 2 h of pings would be ~10^5 records
//   read for nothing. A rider who went off shift earlier does not come back.
// - everything else (shifts, dispatch decisions, notifications, dead letters), 2 h: the feed and
//   the fleet count; the feed shows the newest 60 lines.

const HOUR = 3_600_000;

export const WARM_WINDOW_MS: Readonly<Record<TopicName, number>> = {
  [TOPIC.orderEvents]: 24 * HOUR,
  [TOPIC.weatherUpdates]: 24 * HOUR,
  [TOPIC.rosterPlans]: 24 * HOUR,
  [TOPIC.riderLocation]: 10 * 60_000,
  [TOPIC.riderShifts]: 2 * HOUR,
  [TOPIC.dispatchAssignments]: 2 * HOUR,
  [TOPIC.notificationResults]: 2 * HOUR,
  [TOPIC.eventsDead]: 2 * HOUR,
};

/** topics whose newest record is the simulated "now" the windows count back from */
export const WORLD_TOPICS: readonly TopicName[] = [TOPIC.orderEvents, TOPIC.riderLocation, TOPIC.riderShifts];

/**
 * The read-back events in the order they are folded: by simulated time across topics (the reader
 * collects topic by topic, and a delivery folded before its order's creation would leave the order
 * open), keeping log order for equal times (the sort is stable).
 */
export function warmOrder(events: LogEvent[]): LogEvent[] {
  return [...events].sort((a, b) => a.ts - b.ts);
}
