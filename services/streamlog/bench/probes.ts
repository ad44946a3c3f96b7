// Load-independent probes of a broker child, per bench phase (raw-frames.ts --syscalls / --gc):
//  - syscalls: `strace -f -c -p <pid>` attached for the phase (all threads: the main loop and libuv's
//    pool), then the count of each syscall. Counts, not times: strace slows the broker, but a count
//    does not depend on that or on the machine's load, so two builds compare on a busy machine.
//  - GC: the broker runs with --trace-gc-nvp (one line per GC on its stdout, with `allocated=` bytes
//    since the previous GC) and ./phase-mark.ts, which prints a mark line with the heap's size on
//    SIGUSR2. Mark and GC lines share the one stdout pipe, so a phase's GCs are exactly those between
//    its two marks; bytes allocated on the JS heap = the sum, over the events (GCs and marks) of the
//    phase, of the heap's size before each minus its size after the one before. Buffers' backing
//    stores are outside it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const PHASE_MARK_IMPORT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'phase-mark.ts');

/** how to start a broker for these probes: the launcher (stdbuf for --gc, which execs, so the pid stays) and node flags */
export function probedLaunch(gc: boolean): { launcher: string[]; nodeArgs: string[] } {
  // --gc: stdout line-buffered so V8's GC lines reach the pipe whole and before a later mark
  return gc
    ? { launcher: ['stdbuf', '-oL', process.execPath], nodeArgs: ['--trace-gc-nvp', '--import', 'tsx', '--import', PHASE_MARK_IMPORT] }
    : { launcher: [process.execPath], nodeArgs: ['--import', 'tsx'] };
}

/**
 * user and system CPU seconds of a process, all threads, from /proc/<pid>/stat (fields 14 and 15, in
 * 1/100 s ticks), and its minor page faults (field 10): kernel time that no syscall count shows
 */
export function userSys(pid: number): { user: number; sys: number; minorFaults: number } {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100, minorFaults: Number(f[7]) };
}

export interface PhaseFigures {
  userUsPerRecord: number;
  sysUsPerRecord: number;
  minorFaultsPer1k: number;
  /** per 1,000 records, by syscall name */
  syscallsPer1k?: Record<string, number>;
  heapKiBPer1k?: number;
  scavengesPer1k?: number;
  markCompactsPer1k?: number;
  gcPauseMsPer1k?: number;
}

/** per phase: start() before it, stop(records) after it; the user/system split always, syscalls and GC when asked */
export function phaseProbes(child: ChildProcess, lines: readline.Interface, opts: { syscalls: boolean; gc: boolean }) {
  const pid = child.pid!;
  const gcProbe = opts.gc ? gcTracker(lines, child) : null;
  return {
    async start(): Promise<{ stop: (records: number) => Promise<PhaseFigures> }> {
      if (gcProbe) await gcProbe.mark();
      const strace = opts.syscalls ? await attachStrace(pid) : null;
      const u0 = userSys(pid);
      return {
        async stop(records) {
          const calls = strace ? await strace.stop() : null;
          const u1 = userSys(pid);
          const gc = gcProbe ? await gcProbe.mark() : null;
          const k = (n: number) => (n * 1000) / records;
          const fig: PhaseFigures = { userUsPerRecord: ((u1.user - u0.user) * 1e6) / records, sysUsPerRecord: ((u1.sys - u0.sys) * 1e6) / records, minorFaultsPer1k: k(u1.minorFaults - u0.minorFaults) };
          if (calls) fig.syscallsPer1k = Object.fromEntries([...calls].sort((a, b) => b[1] - a[1]).map(([name, n]) => [name, k(n)]));
          if (gc) Object.assign(fig, { heapKiBPer1k: k(gc.allocatedBytes / 1024), scavengesPer1k: k(gc.scavenges), markCompactsPer1k: k(gc.markCompacts), gcPauseMsPer1k: k(gc.pauseMs) });
          return fig;
        },
      };
    },
  };
}

/** one line of a phase's figures */
export function formatFigures(f: PhaseFigures): string {
  const n = (x: number) => x.toFixed(2);
  let text = `user ${f.userUsPerRecord.toFixed(3)} sys ${f.sysUsPerRecord.toFixed(3)} µs/rec, ${n(f.minorFaultsPer1k)} page faults/1k rec`;
  if (f.syscallsPer1k) {
    const entries = Object.entries(f.syscallsPer1k);
    text += `; syscalls/1k rec ${n(entries.reduce((a, [, c]) => a + c, 0))} [${entries.slice(0, 10).map(([name, c]) => `${name} ${n(c)}`).join(', ')}]`;
  }
  if (f.heapKiBPer1k !== undefined) text += `; heap ${n(f.heapKiBPer1k)} KiB/1k rec, per 1k rec ${f.scavengesPer1k!.toFixed(3)} scavenges ${f.markCompactsPer1k!.toFixed(3)} mark-compacts ${f.gcPauseMsPer1k!.toFixed(3)} ms GC pause`;
  return text;
}

/** strace attached to every thread of `pid` until stop(): calls per syscall name */
export async function attachStrace(pid: number): Promise<{ stop: () => Promise<Map<string, number>> }> {
  const child: ChildProcess = spawn('strace', ['-f', '-c', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  // strace says "Process <pid> attached" per thread once it traces it; the main thread is enough to start
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`strace exited with ${code}: ${err}`)));
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes(`Process ${pid} attached`)) resolve();
    });
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => {
          // the -c table: "% time  seconds  usecs/call  calls  errors  syscall", errors may be blank
          const calls = new Map<string, number>();
          for (const line of err.split('\n')) {
            const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
            if (m && m[2] !== 'total') calls.set(m[2], Number(m[1]));
          }
          resolve(calls);
        });
        child.kill('SIGINT');
      }),
  };
}

export interface GcPhase {
  allocatedBytes: number;
  scavenges: number;
  markCompacts: number;
  pauseMs: number;
}

/** follows --trace-gc-nvp and mark lines on the broker's stdout; mark() ends one phase and starts the next */
export function gcTracker(lines: readline.Interface, child: ChildProcess): { mark: () => Promise<GcPhase> } {
  let current: GcPhase = { allocatedBytes: 0, scavenges: 0, markCompacts: 0, pauseMs: 0 };
  // the heap's size after the last event (a GC's end or a mark): what is allocated between two events
  // is the size at the second minus the size after the first
  let sizeAfterLast = 0;
  let waiter: ((p: GcPhase) => void) | null = null;
  lines.on('line', (line) => {
    const gc = / pause=([\d.]+) .* gc=(\w+) .* total_size_before=(\d+) total_size_after=(\d+) /.exec(line);
    if (gc) {
      current.pauseMs += Number(gc[1]);
      if (gc[2] === 's') current.scavenges++;
      else current.markCompacts++;
      current.allocatedBytes += Math.max(0, Number(gc[3]) - sizeAfterLast);
      sizeAfterLast = Number(gc[4]);
      return;
    }
    const mark = /^\{"phaseMark":true,"used":(\d+)\}$/.exec(line);
    if (!mark) return;
    const used = Number(mark[1]);
    const phase = current;
    phase.allocatedBytes += Math.max(0, used - sizeAfterLast);
    current = { allocatedBytes: 0, scavenges: 0, markCompacts: 0, pauseMs: 0 };
    sizeAfterLast = used;
    waiter?.(phase);
    waiter = null;
  });
  return {
    mark: () =>
      new Promise((resolve) => {
        waiter = resolve;
        child.kill('SIGUSR2');
      }),
  };
}
