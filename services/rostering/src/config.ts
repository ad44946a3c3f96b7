import path from 'node:path';
import { z } from 'zod';
import { loadConfig, type Config, groupIdSetting } from '@riderflow/service-kit';
import { PLANNING_SPEED_KMH } from '@riderflow/geo';
import { DEFAULT_STAFFING } from './core/erlang-c.js';

const num = (def: number) => z.coerce.number().positive().default(def);
/** A switch: true/false or 1/0. */
const flag = (def: boolean) => z.enum(['true', 'false', '1', '0']).default(def ? 'true' : 'false').transform((v) => v === 'true' || v === '1');

export const RosteringEnvSchema = z.object({
  ROSTERING_HOST: z.string().default('127.0.0.1'),
  /** /metrics and /healthz; 0 = any free port. */
  ROSTERING_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9470),
  ROSTERING_GROUP: groupIdSetting('rostering'),
  MODELS_DIR: z.string().default(path.join('data', 'models')),
  /** Pin a model version; default the registry's active one (or, with the registry topic off, the latest trained). */
  MODEL_VERSION: z.string().optional(),
  /**
   * Rescale the model's forecasts by the level the day shows (core/level-correction.ts); off:
   * the bare network, for comparisons and for tests whose margins assume it.
   */
  ROSTERING_LEVEL_CORRECTION: flag(true),
  /**
   * The model registry on the compacted topic rostering.models: on start the active model is
   * rebuilt from it (weights included), and a retrain publishes there. Off: the models folder's
   * LATEST decides, as before issue 22.
   */
  ROSTERING_MODEL_TOPIC: flag(true),
  /** Inactive model versions kept in the registry after a retrain; older ones are retired (tombstones). */
  ROSTERING_KEEP_MODELS: z.coerce.number().int().min(0).default(5),
  ROSTERING_SERVICE_MIN: num(DEFAULT_STAFFING.serviceMin),
  ROSTERING_DOOR_MIN: num(DEFAULT_STAFFING.doorMin),
  ROSTERING_TARGET_MIN: num(DEFAULT_STAFFING.targetMin),
  ROSTERING_TARGET_SHARE: z.coerce.number().gt(0).lt(1).default(DEFAULT_STAFFING.targetShare),
  /** Read the rule's service and door minutes from the log's last 6 simulated hours (off: the two settings above). */
  ROSTERING_SERVICE_FROM_LOG: flag(false),
  /** Rider speed for reposition planning, km/h (default: the world's expected ride, @riderflow/geo's PLANNING_SPEED_KMH). */
  ROSTERING_RIDER_SPEED_KMH: num(PLANNING_SPEED_KMH),
  ROSTERING_MAX_MOVE_MIN: num(25),
  /** Send reposition instructions (off: plans only, for a rostering-off comparison). */
  ROSTERING_SEND_MOVES: flag(true),
  /** Send the plans' call-ins to the operations office (queue roster.call_ins). */
  ROSTERING_SEND_CALL_INS: flag(true),
  /** Simulated minutes between two rounds of call-ins, and most riders asked for per round. */
  ROSTERING_CALL_IN_INTERVAL_MIN: num(30),
  ROSTERING_CALL_IN_MAX: z.coerce.number().int().positive().default(10),
  /** Book riders' announced hours for the next day from the day-ahead forecast (queue roster.shifts). */
  ROSTERING_BOOK_SHIFTS: flag(true),
  /** Improvement passes over a day's booking after the greedy placement (0: greedy only); README "Booking". */
  ROSTERING_BOOK_PASSES: z.coerce.number().int().min(0).max(1000).default(20),
  /** Also move pairs of riders when single moves are done (booking-search.ts); README "Booking". */
  ROSTERING_BOOK_PAIRS: flag(true),
  /** Seeded perturbations of the booking after the search (0: none); README "Booking". */
  /** What a booked rider is worth: the rule's need, or orders saved by Erlang B; README "Booking". */
  ROSTERING_BOOK_WORTH: z.enum(['need', 'erlang-b']).default('need'),
  ROSTERING_BOOK_KICKS: z.coerce.number().int().min(0).max(10000).default(0),
  /** Booked shifts start at or after this hour (UTC) and end by the close hour. */
  ROSTERING_OPEN_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  ROSTERING_CLOSE_HOUR: z.coerce.number().int().min(1).max(24).default(24),
  /** Simulated minutes between booking and the earliest booked start (the booking must reach the rider). */
  ROSTERING_SHIFT_LEAD_MIN: num(30),
}).refine((s) => s.ROSTERING_OPEN_HOUR < s.ROSTERING_CLOSE_HOUR, { message: 'ROSTERING_OPEN_HOUR must be before ROSTERING_CLOSE_HOUR', path: ['ROSTERING_OPEN_HOUR'] });

export interface RosteringConfig extends Config {
  rostering: z.infer<typeof RosteringEnvSchema>;
}

export function loadRosteringConfig(env: Record<string, string | undefined> = process.env): RosteringConfig {
  const base = loadConfig(env);
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const res = RosteringEnvSchema.safeParse(present);
  if (!res.success) throw new Error(`invalid configuration: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { ...base, rostering: res.data };
}
