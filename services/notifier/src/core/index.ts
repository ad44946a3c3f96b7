// @riderflow/notifier/core: the notifier's pure decisions, no I/O: which notifications an order
// event asks for, what to do after a ledger claim, and when to retry or give up.
export { stepAfterClaim, type ClaimOutcome, type ClaimStep, type Delivery } from './delivery.js';
export { decideAfterFailure, attemptOf, type RetryDecision } from './retry-policy.js';
export { notificationsFor } from '../planner/rules.js';
