import { z } from 'zod';
import { OrderAssignedSchema, OrderCancelledSchema, OrderCreatedSchema, OrderDeliveredSchema, OrderPickedUpSchema, OrderReadySchema } from './order.js';
import { RiderAvailabilitySchema, RiderLocationSchema, RiderShiftEndedSchema, RiderShiftStartedSchema } from './rider.js';
import { WeatherUpdatedSchema } from './weather.js';
import { DispatchAssignedSchema, DispatchRepositionedSchema } from './dispatch.js';
import { RosterModelSchema, RosterPlanSchema, RosterShiftPlanSchema } from './roster.js';
import { NotificationResultSchema } from './notification.js';
import { EventDeadSchema } from './dead.js';

/** Every event that may appear on the log, discriminated by `type`. */
export const LogEventSchema = z.discriminatedUnion('type', [
  RiderLocationSchema,
  RiderShiftStartedSchema,
  RiderShiftEndedSchema,
  RiderAvailabilitySchema,
  OrderCreatedSchema,
  OrderReadySchema,
  OrderAssignedSchema,
  OrderPickedUpSchema,
  OrderDeliveredSchema,
  OrderCancelledSchema,
  WeatherUpdatedSchema,
  DispatchAssignedSchema,
  DispatchRepositionedSchema,
  RosterPlanSchema,
  RosterShiftPlanSchema,
  RosterModelSchema,
  NotificationResultSchema,
  EventDeadSchema,
]);
export type LogEvent = z.infer<typeof LogEventSchema>;
export type LogEventType = LogEvent['type'];
/** The event of one type, e.g. `EventOf<'order.created'>`. */
export type EventOf<T extends LogEventType> = Extract<LogEvent, { type: T }>;

export const LOG_EVENT_TYPES = LogEventSchema.options.map((o) => o.shape.type.value) as LogEventType[];
