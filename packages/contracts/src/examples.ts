// One valid example of every event and task: the schema tests check them, and other packages' tests
// (the validating consumers, the topology on a real broker) publish them.
import type { LogEvent, Task } from './index.js';

/** One valid example of every event type. */
export const validEvents: LogEvent[] = [
  { type: 'rider.location', v: 1, id: 'e1', ts: 1_700_000_000_000, riderId: 'r1', zoneId: 'z1', lat: 52.52, lon: 13.4, status: 'to_store', speedKmh: 18 },
  { type: 'rider.shift_started', v: 1, id: 'e2', ts: 1, riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, shiftEnd: 1000 },
  { type: 'rider.shift_ended', v: 1, id: 'e3', ts: 1, riderId: 'r1' },
  { type: 'order.created', v: 1, id: 'e4', ts: 1, orderId: 'o1', storeId: 's1', customerId: 'c1', zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: 1, expectedReadyAt: 600_000 },
  { type: 'order.ready', v: 1, id: 'e5', ts: 1, orderId: 'o1', storeId: 's1' },
  { type: 'order.assigned', v: 1, id: 'e6', ts: 1, orderId: 'o1', riderId: 'r1', assignmentId: 'a1' },
  { type: 'order.picked_up', v: 1, id: 'e7', ts: 1, orderId: 'o1', riderId: 'r1' },
  { type: 'order.delivered', v: 1, id: 'e8', ts: 1, orderId: 'o1', riderId: 'r1', placedAt: 0, clickToDoorMin: 31.5 },
  { type: 'order.cancelled', v: 1, id: 'e9', ts: 1, orderId: 'o1', reason: 'unassigned_timeout' },
  { type: 'weather.updated', v: 1, id: 'e10', ts: 1, zoneId: 'z1', condition: 'rain', rainMmH: 4, demandFactor: 1.3, speedFactor: 0.85 },
  { type: 'dispatch.assigned', v: 1, id: 'e11', ts: 1, assignmentId: 'a1', riderId: 'r1', storeId: 's1', orderIds: ['o1'], plannedPickupAt: 5, plannedDropoffs: [{ orderId: 'o1', at: 9 }] },
  { type: 'dispatch.repositioned', v: 1, id: 'e12', ts: 1, riderId: 'r1', zoneId: 'z2', lat: 52.5, lon: 13.4, reason: 'forecast' },
  { type: 'roster.plan', v: 1, id: 'e13', ts: 1, planId: 'p1', modelVersion: 'm1', bucketStart: 0, horizonMin: 60, zones: [{ zoneId: 'z1', forecastOrders: 3, ridersNeeded: 2, ridersPresent: 1 }], moves: [{ riderId: 'r1', fromZoneId: 'z1', toZoneId: 'z2' }], callIns: [{ hourStart: 0, riders: 2 }] },
  { type: 'rider.availability', v: 1, id: 'e16', ts: 1, riderId: 'r1', day: 1_741_996_800_000, hours: 6, homeZoneId: 'z1' },
  { type: 'roster.shift_plan', v: 1, id: 'e17', ts: 1, planId: 'shifts-1', day: 1_741_996_800_000, forecastSource: 'seasonal_naive_weeks', hours: [{ hourStart: 1_742_036_400_000, forecastOrders: 40, ridersNeeded: 22, ridersBooked: 20 }], shifts: [{ riderId: 'r1', start: 1_742_036_400_000, end: 1_742_058_000_000 }] },
  { type: 'roster.model', v: 1, id: 'e18', ts: 1, jobId: 'j1', status: 'finished', activeModel: 'v1', version: 'v1', mae: 0.6, bestBaselineMae: 0.8 },
  { type: 'notification.result', v: 1, id: 'e14', ts: 1, notificationId: 'n1', idempotencyKey: 'k1', channel: 'sms', status: 'sent', attempts: 1 },
  { type: 'event.dead', v: 1, id: 'e15', ts: 1, sourceTopic: 'order.events', partition: 0, offset: '42', reason: 'not JSON', payload: 'xx', consumerGroup: 'g' },
];

export const validTasks: Task[] = [
  { type: 'rider.instruction', v: 1, id: 't1', ts: 1, riderId: 'r1', action: 'pickup', assignmentId: 'a1', storeId: 's1', storeLat: 52.5, storeLon: 13.4, orders: [{ orderId: 'o1', dropLat: 52.51, dropLon: 13.41 }] },
  { type: 'rider.instruction', v: 1, id: 't2', ts: 1, riderId: 'r1', action: 'reposition', zoneId: 'z2', lat: 52.5, lon: 13.4 },
  { type: 'notification', v: 1, id: 't3', ts: 1, notificationId: 'n1', idempotencyKey: 'k1', audience: 'customer', channel: 'email', recipient: 'c1@example.com', template: 'order_delivered', data: { orderId: 'o1' } },
  { type: 'job.retrain', v: 1, id: 't4', ts: 1, jobId: 'j1' },
  { type: 'roster.shift', v: 1, id: 't6', ts: 1, riderId: 'r1', day: 1_741_996_800_000, start: 1_742_036_400_000, end: 1_742_058_000_000, zoneId: 'z1', planId: 'shifts-1' },
  { type: 'roster.call_in', v: 1, id: 't5', ts: 1, riders: 2, zoneId: 'z1', reason: 'plan p1: 2 riders short 18:00' },
];
