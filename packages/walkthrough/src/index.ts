// @riderflow/walkthrough: the guided log-versus-queue walkthrough, run by `npm run demo` and the dashboard.
export { STEPS, runStep } from './steps.js';
export type { Step, StepResult, WalkthroughContext } from './context.js';
export { latestTimestamp } from './sim-clock.js';
export { summariseReason } from './reason.js';
