import { z } from 'zod';
import { entityId, messageSchema } from '../envelope.js';

export const WEATHER_CONDITIONS = ['clear', 'cloudy', 'rain', 'storm'] as const;
export const WeatherConditionSchema = z.enum(WEATHER_CONDITIONS);
export type WeatherCondition = z.infer<typeof WeatherConditionSchema>;

/** Topic `weather.updates`, key zoneId. Emitted when a zone's weather changes. */
export const WeatherUpdatedSchema = messageSchema('weather.updated', {
  zoneId: entityId,
  condition: WeatherConditionSchema,
  rainMmH: z.number().nonnegative(),
  /** Multiplier on order demand in this zone (rain raises it). */
  demandFactor: z.number().positive(),
  /** Multiplier on rider speed in this zone (rain lowers it). */
  speedFactor: z.number().positive(),
});
export type WeatherUpdated = z.infer<typeof WeatherUpdatedSchema>;
