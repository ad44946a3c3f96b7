import { z } from 'zod';
import { entityId, messageSchema } from '../envelope.js';
import { NotificationChannelSchema } from '../events/notification.js';

export const NOTIFICATION_AUDIENCES = ['customer', 'ops'] as const;

/** Queues `notify.customer` (routing key customer.<channel>) and `notify.ops` (ops.webhook). */
export const NotificationTaskSchema = messageSchema('notification', {
  notificationId: entityId,
  /** Same key on a redelivered or retried task: the notifier sends at most once per key. */
  idempotencyKey: z.string().min(1),
  audience: z.enum(NOTIFICATION_AUDIENCES),
  channel: NotificationChannelSchema,
  recipient: z.string().min(1),
  template: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type NotificationTask = z.infer<typeof NotificationTaskSchema>;
