import type { LabLevers, LogEvent } from '@riderflow/contracts';

// How often dispatch used what the named policies turn off, in the window [fromMs, toMs): orders
// sent out in a bundle (an assignment of two or more orders: a bundle or a rescue ride-along, both
// of which no-bundling turns off) and riders repositioned (what no-preposition turns off). Counted
// on the recorded run's dispatch decisions and on each replay's own, so the Lab page can say when
// a policy equals live because live never did what the policy forbids in that window.

export function countLevers(events: Iterable<LogEvent>, fromMs: number, toMs: number): LabLevers {
  let bundledOrders = 0;
  let repositions = 0;
  for (const e of events) {
    if (e.ts < fromMs || e.ts >= toMs) continue;
    if (e.type === 'dispatch.assigned' && e.orderIds.length > 1) bundledOrders += e.orderIds.length;
    else if (e.type === 'dispatch.repositioned') repositions++;
  }
  return { bundledOrders, repositions };
}
