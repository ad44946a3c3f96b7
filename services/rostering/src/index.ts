// @riderflow/rostering: the pure core (features, baselines, staffing, allocation), the model
// store and forecast sources, and the service factory.
export * from './core/buckets.js';
export * from './core/demand-history.js';
export * from './core/features.js';
export * from './core/baselines.js';
export * from './core/metrics.js';
export * from './core/erlang-c.js';
export * from './core/allocation.js';
export * from './core/planner.js';
export { initBackend, type BackendChoice, type BackendName } from './model/backend.js';
export { DemandForecaster } from './model/forecaster.js';
export { loadModel, saveModel, latestVersion, readMetadata, ModelLoadError, ModelMetadataSchema, type ModelMetadata } from './model/model-store.js';
export { loadForecastSource, BaselineForecastSource, ModelForecastSource, type ForecastSource } from './model/forecast-source.js';
export { trainAndEvaluate, formatMetricsTable } from './training.js';
export { trainFromLog } from './train-job.js';
export { replayLog, DEMAND_TOPICS } from './adapters/replay.js';
export { startRostering, type RosteringService } from './service.js';
export { loadRosteringConfig, RosteringEnvSchema } from './config.js';
