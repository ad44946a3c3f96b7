// Loaded into every supervised child (`node --import tsx --import <this>`) before its own code:
// it leaves when the supervisor goes away, and it stops within the deadline of a SIGTERM.
import path from 'node:path';
import { DEFAULT_STOP_DEADLINE_MS, ORPHAN_STOP_DEADLINE_MS, STOP_DEADLINE_ENV, SUPERVISOR_PID_ENV, enforceStopDeadline, ignoreBrokenPipes, watchParent } from './parent-watch.js';

const configured = Number(process.env[STOP_DEADLINE_ENV]);
const deadlineMs = configured > 0 ? configured : DEFAULT_STOP_DEADLINE_MS;
const name = path.relative(process.cwd(), process.argv[1] ?? 'service');

// The supervisor is gone: nobody reads our output any more, and nobody waits for an orderly stop.
let orphaned = false;
const onParentGone = () => {
  if (orphaned) return;
  orphaned = true;
  ignoreBrokenPipes();
  deadline.arm(Math.min(deadlineMs, ORPHAN_STOP_DEADLINE_MS));
  // The service's own SIGTERM handler stops it in order (offsets committed, store closed).
  process.kill(process.pid, 'SIGTERM');
};
// Two ways to notice: the IPC channel closing (at once, on the main thread), and the watchdog
// thread seeing this process re-parented (even while the main thread is blocked).
// The supervisor's PID comes from it, not from process.ppid: the supervisor may be gone already.
const parentPid = Number(process.env[SUPERVISOR_PID_ENV]);
const supervised = process.channel !== undefined && parentPid > 0;
const deadline = enforceStopDeadline(deadlineMs, name, supervised ? { orphanDeadlineMs: Math.min(deadlineMs, ORPHAN_STOP_DEADLINE_MS), onParentGone, parentPid } : undefined);
watchParent(onParentGone);
