import { z } from 'zod';
import { parseWith, type MessageBody } from '../codec.js';
import { RiderInstructionSchema, type RiderInstruction } from './rider-instruction.js';
import { NotificationTaskSchema, type NotificationTask } from './notification.js';
import { JobRetrainSchema, type JobRetrain } from './job.js';
import { RosterCallInSchema, type RosterCallIn } from './roster-call-in.js';
import { RosterShiftSchema, type RosterShift } from './roster-shift.js';

/** Every task that travels on the queues, discriminated by `type`. */
export const TaskSchema = z.discriminatedUnion('type', [RiderInstructionSchema, NotificationTaskSchema, JobRetrainSchema, RosterCallInSchema, RosterShiftSchema]);
export type Task = RiderInstruction | NotificationTask | JobRetrain | RosterCallIn | RosterShift;
export type TaskType = Task['type'];

export type ParseTaskResult<T = Task> = { ok: true; task: T } | { ok: false; reason: string };

/** Parses a queue message body into a task (optionally of one schema); never throws. */
export function parseTask<S extends z.ZodType = typeof TaskSchema>(input: MessageBody, schema?: S): ParseTaskResult<z.infer<S>> {
  const r = parseWith(schema ?? TaskSchema, input);
  return r.ok ? { ok: true, task: r.value as z.infer<S> } : r;
}
