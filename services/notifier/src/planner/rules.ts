import type { LogEvent, NotificationTask } from '@riderflow/contracts';
import { cancelMessage } from './cancel-message.js';

// Which facts on the log become which messages to people. The log says what happened (an order
// was assigned, delivered, cancelled); the planner turns each fact into commands on the queues
// (push the customer, email a receipt, alert ops). Pure, and deterministic: the idempotency key
// comes from the fact, so re-reading the log never sends a message twice.

const LATE_MIN = 40;

function task(event: LogEvent, suffix: string, fields: Pick<NotificationTask, 'audience' | 'channel' | 'recipient' | 'template' | 'data'>): NotificationTask {
  const key = `${event.type}:${'orderId' in event ? event.orderId : event.id}:${suffix}`;
  return { type: 'notification', v: 1, id: key, ts: event.ts, notificationId: key, idempotencyKey: key, ...fields };
}

export function notificationsFor(event: LogEvent): NotificationTask[] {
  switch (event.type) {
    case 'order.assigned':
      return [task(event, 'push', { audience: 'customer', channel: 'push', recipient: `customer-of:${event.orderId}`, template: 'rider_assigned', data: { orderId: event.orderId, riderId: event.riderId } })];
    case 'order.delivered': {
      const out = [task(event, 'email', { audience: 'customer', channel: 'email', recipient: `customer-of:${event.orderId}`, template: 'receipt', data: { orderId: event.orderId, clickToDoorMin: event.clickToDoorMin } })];
      if (event.clickToDoorMin > LATE_MIN) {
        out.push(task(event, 'late', { audience: 'ops', channel: 'webhook', recipient: 'ops-oncall', template: 'late_delivery', data: { orderId: event.orderId, clickToDoorMin: event.clickToDoorMin } }));
      }
      return out;
    }
    case 'order.cancelled': {
      const message = cancelMessage(event);
      const out = [task(event, 'sms', { audience: 'customer', channel: 'sms', recipient: `customer-of:${event.orderId}`, template: message.template, data: { orderId: event.orderId, reason: event.reason, text: message.text } })];
      if (message.alertOps) {
        out.push(task(event, 'ops', { audience: 'ops', channel: 'webhook', recipient: 'ops-oncall', template: 'unassigned_order', data: { orderId: event.orderId } }));
      }
      return out;
    }
    default:
      return [];
  }
}
