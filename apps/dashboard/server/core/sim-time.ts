// The gateway writes times exactly as the pages do (see lib/sim-time.ts).
export { fmtSimTime, parseSimTime } from '../../lib/sim-time.js';
