// The pure, browser-safe language of Riderflow: schemas, topics, the queue topology as data,
// header names and the dashboard's frames. No I/O, no Node builtins, no broker client.
export * from './envelope.js';
export * from './rider-statuses.js';
export * from './codec.js';
export * from './events/rider.js';
export * from './events/order.js';
export * from './events/weather.js';
export * from './events/dispatch.js';
export * from './events/roster.js';
export * from './events/notification.js';
export * from './events/dead.js';
export * from './events/log-event.js';
export * from './events/parse.js';
export * from './tasks/rider-instruction.js';
export * from './tasks/notification.js';
export * from './tasks/job.js';
export * from './tasks/roster-call-in.js';
export * from './tasks/roster-shift.js';
export * from './tasks/task.js';
export * from './topics.js';
export * from './state/dispatch-rider-state.js';
export * from './state/rostering-model.js';
export * from './topology.js';
export * from './dead-letter.js';
export * from './dashboard-frames.js';
export * from './lab-runs.js';
export * from './rostering-training.js';
