import { z } from 'zod';
import { entityId, messageSchema } from '../envelope.js';

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'push', 'webhook'] as const;
export const NotificationChannelSchema = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof NotificationChannelSchema>;

export const NOTIFICATION_STATUSES = ['sent', 'duplicate', 'failed', 'dead_lettered'] as const;

/** Topic `notification.results`, key notificationId. */
export const NotificationResultSchema = messageSchema('notification.result', {
  notificationId: entityId,
  idempotencyKey: z.string().min(1),
  channel: NotificationChannelSchema,
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int().nonnegative(),
  reason: z.string().optional(),
});
export type NotificationResult = z.infer<typeof NotificationResultSchema>;
