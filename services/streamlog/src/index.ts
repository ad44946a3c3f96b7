// @riderflow/streamlog: the embedded Kafka-compatible event log.
export { startStreamlog, type StreamlogOptions, type StreamlogHandle } from './streamlog.js';
export { openLogEngine } from './storage/index.js';
export type * from './storage/contract.js';
export { StorageError } from './storage/contract.js';
export * from './records/index.js';
