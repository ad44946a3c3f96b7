import type { OrderCancelled } from '@riderflow/contracts';

// What a customer is told when their order is cancelled, by who cancelled it and why. Every
// cancellation is told (the customer is waiting for food; silence is worse than bad news), but
// the text says honestly who cancelled: a platform cancellation must not read as if the
// restaurant or the customer had cancelled. The template names the case, so a real SMS provider
// renders it; `data.text` is the sentence itself, so the simulated providers, the ledger and the
// dead letters carry what the customer would read.

export interface CancelMessage {
  template: string;
  text: string;
  /** Whether ops should be alerted about this one order (an order nobody could take is ops' problem; a restart ops caused is not news to them). */
  alertOps: boolean;
}

export function cancelMessage(event: Pick<OrderCancelled, 'orderId' | 'reason'>): CancelMessage {
  const order = `order ${event.orderId}`;
  switch (event.reason) {
    case 'customer':
      return { template: 'order_cancelled_by_customer', text: `Your ${order} is cancelled, as you asked. You will not be charged.`, alertOps: false };
    case 'unassigned_timeout':
      return { template: 'order_cancelled_no_rider', text: `Sorry: we cancelled your ${order} because we could not find a rider to bring it in time. You will not be charged.`, alertOps: true };
    case 'simulator_restart':
      return { template: 'order_cancelled_platform_restart', text: `Sorry: we cancelled your ${order} because our delivery system restarted while it was under way. The restaurant did not cancel it and neither did you. You will not be charged.`, alertOps: false };
    case 'other':
      return { template: 'order_cancelled_by_platform', text: `Sorry: we had to cancel your ${order}. You will not be charged.`, alertOps: false };
  }
}
