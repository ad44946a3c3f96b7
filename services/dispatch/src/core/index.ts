// @riderflow/dispatch/core: the pure dispatch core, no I/O. The rolling-horizon policy over
// couriers and open orders (dispatchRound), its configuration, and LiveDispatcher: the live
// loop that builds the world from log events and turns simulated time into decisions.
export * from './types.js';
export * from './config.js';
export * from './policy.js';
export * from './route.js';
export * from './bundling.js';
export * from './preposition.js';
export * from './risk.js';
export * from './join.js';
export * from './certificate.js';
export * from './cost-bound.js';
export * from './live-dispatcher.js';
