import { describe, expect, it } from 'vitest';
import { ORDER_CANCEL_REASONS, type LogEvent } from '@riderflow/contracts';
import { notificationsFor } from '../src/planner/rules.js';

const cancelled = (reason: (typeof ORDER_CANCEL_REASONS)[number]): LogEvent => ({ type: 'order.cancelled', v: 1, id: `x-${reason}`, ts: Date.UTC(2025, 2, 3, 12), orderId: 'o7', reason });

describe('what a customer is told when an order is cancelled', () => {
  it('tells the customer of a restart cancellation that the platform cancelled, not the restaurant or the customer, and alerts no one else', () => {
    const tasks = notificationsFor(cancelled('simulator_restart'));
    expect(tasks.map((t) => [t.audience, t.channel, t.template])).toEqual([['customer', 'sms', 'order_cancelled_platform_restart']]);
    const text = String(tasks[0].data.text);
    expect(text).toMatch(/^Sorry: we cancelled your order o7 because our delivery system restarted/);
    expect(text).toMatch(/The restaurant did not cancel it and neither did you/);
  });

  it('gives every reason its own template and a sentence that names who cancelled', () => {
    const byReason = Object.fromEntries(ORDER_CANCEL_REASONS.map((r) => [r, notificationsFor(cancelled(r))]));
    expect(new Set(ORDER_CANCEL_REASONS.map((r) => byReason[r][0].template)).size).toBe(ORDER_CANCEL_REASONS.length);
    expect(String(byReason.customer[0].data.text)).toMatch(/cancelled, as you asked/);
    expect(String(byReason.unassigned_timeout[0].data.text)).toMatch(/we cancelled your order o7 because we could not find a rider/);
    // only an order nobody could take is ops' news
    expect(ORDER_CANCEL_REASONS.filter((r) => byReason[r].some((t) => t.audience === 'ops'))).toEqual(['unassigned_timeout']);
  });
});
