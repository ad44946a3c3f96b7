// @riderflow/platform: the supervisor behind `npm start` (the walkthrough is @riderflow/walkthrough).
export { Supervisor, portOpen } from './supervisor.js';
export type { ServiceSpec } from './service-spec.js';
