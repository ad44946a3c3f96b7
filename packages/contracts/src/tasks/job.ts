import { z } from 'zod';
import { entityId, messageSchema } from '../envelope.js';

/** Queue `jobs.rostering`, routing key `rostering.retrain` on exchange `jobs`. */
export const JobRetrainSchema = messageSchema('job.retrain', {
  jobId: entityId,
  /** Simulated epoch ms range of history to train on; omitted = everything. */
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
});
export type JobRetrain = z.infer<typeof JobRetrainSchema>;
