export { STEPS, runStep } from './walkthrough/steps.js';
export type { Step, StepResult, WalkthroughContext } from './walkthrough/context.js';
export { Supervisor, portOpen } from './supervisor.js';
export type { ServiceSpec } from './service-spec.js';
