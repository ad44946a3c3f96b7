export * from './core/types.js';
export * from './core/config.js';
export * from './core/travel.js';
export * from './core/assignment.js';
export * from './core/route.js';
export * from './core/bundling.js';
export * from './core/preposition.js';
export * from './core/policy.js';
