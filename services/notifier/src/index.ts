// @riderflow/notifier: the notification worker as a library (the dashboard's browser tests and
// the benchmark run it in-process) and its pure delivery core. `npm run notifier` is src/main.ts.
export { NotifierWorker, type NotifierWorkerOptions } from './worker.js';
export { NotificationLedger } from './ledger.js';
export { simulatedProviders, SimulatedProvider, type Provider, type ProviderSet } from './providers.js';
export { MemoryResultPublisher, KafkaResultPublisher, type ResultPublisher } from './results.js';
export { notifierTopology, type NotifierTopology } from './topology.js';
export { createNotifierMetrics, type NotifierMetrics } from './metrics.js';
export { NotificationPlanner } from './planner/planner.js';
export { loadNotifierConfig } from './config.js';
export * from './core/index.js';
