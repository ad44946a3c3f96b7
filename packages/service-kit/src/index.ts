// Service plumbing every Riderflow service uses for the same job: config, broker clients, the
// validating consumers, logging, the health and metrics server, the management-API client,
// dead-letter redrive. The pure language (schemas, topics, topology as data) is @riderflow/contracts.
export * from './config.js';
export * from './kafka.js';
export * from './kafka-topics.js';
export * from './state-topics.js';
export * from './topic-span-reader.js';
export * from './amqp.js';
export * from './declare-topology.js';
export * from './wire-encoding.js';
export * from './management-api.js';
export * from './logger.js';
export * from './validated-consumer.js';
export * from './validated-queue-consumer.js';
export * from './redrive.js';
export * from './health-server.js';
export * from './short-lived-groups.js';
export * from './platform-groups.js';
export { groupIdSetting } from './group-id-setting.js';
export * from './log-time-index.js';
