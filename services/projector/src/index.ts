// @riderflow/projector: the log → database projector (consumer group "projector").
export { startProjector, createProjectorMetrics, isTransientDatabaseError, type Projector, type ProjectorOptions, type ProjectorMetrics } from './projector.js';
export { PROJECTED_TOPICS } from './projection.js';
