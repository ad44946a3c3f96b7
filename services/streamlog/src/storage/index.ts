// The storage engine as a library: open a log directory, append and read record batches.
export * from './contract.js';
export { openLogEngine } from './engine.js';
export { DEFAULT_TOPIC_CONFIG } from './topic-store.js';
export { validateTopicName } from './topic-name.js';
