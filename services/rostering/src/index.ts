// @riderflow/rostering: the rostering service (start function and its settings), the forecast
// model (TensorFlow.js backend, model store, forecast sources, training) and the log replay.
// The pure core is the separate entry @riderflow/rostering/core.
export { startRostering, roundSettings, type RosteringService, type RosteringServiceOptions } from './service.js';
export { loadRosteringConfig, RosteringEnvSchema, type RosteringConfig } from './config.js';
export { initBackend, type BackendChoice, type BackendName } from './model/backend.js';
export { DemandForecaster } from './model/forecaster.js';
export { loadModel, saveModel, latestVersion, readMetadata, ModelLoadError, ModelMetadataSchema, type ModelMetadata } from './model/model-store.js';
export { loadForecastSource, BaselineForecastSource, ModelForecastSource, type ForecastSource } from './model/forecast-source.js';
export { trainAndEvaluate, formatMetricsTable } from './training.js';
export { trainFromLog } from './train-job.js';
export { replayLog, DEMAND_TOPICS } from './adapters/replay.js';
