// @riderflow/lab/closed-loop: the lab's deterministic closed loop (the simulator's Simulation, the
// live dispatch core and rostering's round in one process, stepped in simulated time), for the
// rostering bench (bench/rostering), whose off / ML / oracle arms must not depend on machine load.
export { runClosedLoop, type ClosedLoopOptions } from './closed-loop.js';
export { RosteringDriver, type RosteringStats } from './rostering-driver.js';
export type { LabForecast } from './rostering-policies.js';
