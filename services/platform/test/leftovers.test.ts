import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { liveInGroups, waitForGroupsGone } from '../src/supervisor/leftovers.js';
import { within } from './process-helpers.js';

// The last line of a stop says "nothing of this run is left running" only when no process of the
// run's process groups is alive: a service's own child (here a sleep under a shell) counts too.
const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe('what is left of a run', () => {
  it('finds a live process in a service\'s group, its own child included, and nothing once they exit', async () => {
    // a "service" (sh) that started a child of its own (sleep), in its own group as the supervisor spawns them
    const service = spawn('sh', ['-c', 'sleep 600 & wait'], { detached: true, stdio: 'ignore' });
    started.push(service);
    const group = new Set([service.pid!]);
    await within(() => liveInGroups(group).length === 2, 30_000, 'the shell and its sleep running');
    // the service alone is killed: its child is still running, and is named
    process.kill(service.pid!, 'SIGKILL');
    const left = await waitForGroupsGone(group, 300);
    expect(left).toHaveLength(1);
    expect(left[0]).not.toBe(service.pid);
    process.kill(left[0]!, 'SIGKILL');
    expect(await waitForGroupsGone(group, 30_000)).toEqual([]);
  });
});
