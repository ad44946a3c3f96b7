// @riderflow/rostering/core: the pure rostering core, no I/O. Demand history and its features,
// the baselines, staffing (Erlang C), allocation and moves, call-ins, day-ahead shift booking,
// forecast calibration, and RosteringRound: one round's decisions from events and simulated time.
export * from './events.js';
export * from './buckets.js';
export * from './demand-history.js';
export * from './features.js';
export * from './baselines.js';
export * from './metrics.js';
export * from './erlang-c.js';
export * from './allocation.js';
export * from './planner.js';
export * from './shift-plan.js';
export * from './availability-book.js';
export * from './call-in-requests.js';
export * from './call-in-worth.js';
export * from './calibration.js';
export * from './service-time.js';
export * from './round.js';
// Our documented synthetic city (tests and the forecast benchmark): pure and seeded.
export * from '../synthetic/demand-generator.js';
export * from './level-correction.js';
