/**
 * What a worker does with a delivery once the ledger has answered its claim on the task's
 * idempotency key. Pure: the worker (worker.ts) carries the step out against the ledger, the
 * provider and the broker.
 */
export type ClaimOutcome =
  /** This worker now owns the key (status "sending") and may call the provider. */
  | { kind: 'claimed'; takeover: boolean }
  /** Already sent: acknowledge without sending. */
  | { kind: 'already_sent'; attempts: number }
  /** Already dead-lettered: nothing more to do. */
  | { kind: 'already_dead'; attempts: number }
  /** Another worker holds a live claim: try again later. */
  | { kind: 'busy' };

export type ClaimStep =
  /** Call the provider with the idempotency key. */
  | { kind: 'send' }
  /** An operator redrove a dead task: reopen its key (one worker wins) and start its attempts again. */
  | { kind: 'reopen' }
  /** Publish this result, then ack. */
  | { kind: 'result'; status: 'sent' | 'duplicate'; attempts: number }
  /** Publish the dead letter (again) and its result, then ack. */
  | { kind: 'dead_letter'; reason: string; attempts: number }
  /** Someone else is sending it: back to the first retry step with the same attempt. */
  | { kind: 'defer' };

export interface Delivery {
  /** The broker redelivered it (a worker died holding it). */
  redelivered: boolean;
  /** An operator redrove it from dead letters (header x-redriven). */
  redriven: boolean;
  maxAttempts: number;
}

export function stepAfterClaim(claim: ClaimOutcome, d: Delivery): ClaimStep {
  switch (claim.kind) {
    case 'claimed':
      return { kind: 'send' };
    case 'busy':
      // Another worker is sending it right now (or died doing so; its lease will expire).
      return { kind: 'defer' };
    case 'already_sent':
      // A redelivery may mean the worker that sent it died after recording it and before
      // publishing the result: publish "sent" (again) so the result is never lost. A task that
      // merely repeats an idempotency key is a "duplicate".
      return { kind: 'result', status: d.redelivered ? 'sent' : 'duplicate', attempts: claim.attempts };
    case 'already_dead':
      if (d.redriven) return { kind: 'reopen' };
      // The ledger is marked before the dead letter is published; after a crash in between,
      // the redelivered task publishes the dead letter and its result (again).
      if (!d.redelivered) return { kind: 'result', status: 'duplicate', attempts: claim.attempts };
      return { kind: 'dead_letter', reason: `provider failed ${claim.attempts} times (max ${d.maxAttempts})`, attempts: claim.attempts };
  }
}
