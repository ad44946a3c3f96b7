import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { connect } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nextRestartDelay, defaultBackoff, type BackoffPolicy, type RestartState } from './backoff.js';
import { formatLine } from './log-lines.js';
import type { ServiceSpec } from './service-spec.js';
import { isBelowError, permanentFailureIn, portInUseMessage } from './supervisor/permanent-failure.js';
import { SUPERVISOR_PID_ENV } from './supervisor/parent-watch.js';

/** Loaded into every child before its code: it exits when the supervisor goes away (see there). */
const CHILD_PRELOAD = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'supervisor', 'child-preload.ts')).href;

export interface SupervisorOptions {
  rootDir: string;
  env: NodeJS.ProcessEnv;
  backoff?: BackoffPolicy;
  /** where prefixed lines go */
  write?: (line: string) => void;
  readyTimeoutMs?: number;
  /** how long a stop tier may take before SIGKILL (a number, or per tier) */
  stopTimeoutMs?: number | ((tier: number) => number);
  /** print how long each service took to stop */
  reportStops?: boolean;
  /**
   * A service cannot start for a reason no restart fixes (port or data directory in use): it is
   * not restarted, start() rejects with this error, and this is called (once) to stop the rest.
   */
  onFatal?: (err: Error) => void;
  /** the PIDs of the running children, after every change (for the data directory's lock) */
  onChildren?: (pids: number[]) => void;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess | null;
  startedAt: number;
  restarts: RestartState;
  restartTimer: NodeJS.Timeout | null;
  exited: Promise<void>;
  /** settles once the current launch has spawned (or given up) */
  launching: Promise<void>;
  /** what the current launch printed that no restart can fix */
  permanentFailure: string | null;
}

const tierOf = (entry: Running): number => entry.spec.stopTier ?? 1;

/** Starts services in order, restarts crashed ones with backoff, stops them in reverse order. */
export class Supervisor {
  private readonly running: Running[] = [];
  private readonly ready = new Map<string, Promise<void>>();
  private readonly oneShots = new Set<ChildProcess>();
  private stopping = false;
  private fatal: Error | null = null;
  private readonly write: (line: string) => void;

  constructor(private readonly options: SupervisorOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(line + '\n'));
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** the failure that made the supervisor give up, if any */
  get fatalError(): Error | null {
    return this.fatal;
  }

  /** restarts so far per service (for health output and tests) */
  restartCounts(): Record<string, number> {
    return Object.fromEntries(this.running.map((r) => [r.spec.name, r.restarts.consecutiveCrashes]));
  }

  async start(specs: ServiceSpec[]): Promise<void> {
    for (const spec of specs) {
      if (this.fatal) throw this.fatal;
      if (this.stopping) return;
      const skip = spec.skipIf ? await spec.skipIf().catch((err: unknown) => `could not decide (${(err as Error).message})`) : false;
      if (skip) {
        this.write(formatLine('supervisor', `${spec.name} skipped: ${skip}`));
        continue;
      }
      if (spec.oneShot) {
        const started = Date.now();
        const code = await this.runOnce(spec);
        if (this.stopping) return;
        if (code !== 0 && !spec.optional) throw new Error(`${spec.name} exited with code ${code}`);
        this.write(formatLine('supervisor', code === 0 ? `${spec.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s` : `${spec.name} failed (code ${code}); carrying on without it`));
        continue;
      }
      for (const name of spec.after ?? []) await this.ready.get(name);
      if (this.stopping) return;
      // A port already taken would only fail the service again and again.
      if (spec.readyPort !== undefined && (await portOpen(spec.readyPort))) this.fail(portInUseMessage(spec.name, spec.readyPort));
      if (this.fatal) throw this.fatal;
      const entry: Running = { spec, child: null, startedAt: 0, restarts: { consecutiveCrashes: 0 }, restartTimer: null, exited: Promise.resolve(), launching: Promise.resolve(), permanentFailure: null };
      this.running.push(entry);
      this.launch(entry);
      await entry.launching;
      if (spec.readyPort !== undefined) {
        const ready = this.waitForPort(spec, spec.readyPort);
        // Start failures surface where the readiness is awaited (here, or at a later `after`).
        ready.catch(() => {});
        this.ready.set(spec.name, ready);
        if (!spec.readyLater) await ready;
      }
    }
    if (this.fatal) throw this.fatal;
  }

  /** Gives up for good: no more restarts, start() rejects, the owner is told once. */
  private fail(reason: string): void {
    if (this.fatal) return;
    this.fatal = new Error(reason);
    for (const entry of this.running) if (entry.restartTimer) clearTimeout(entry.restartTimer);
    this.options.onFatal?.(this.fatal);
  }

  private reportChildren(): void {
    if (!this.options.onChildren) return;
    const live = (c: ChildProcess | null): c is ChildProcess => !!c && c.exitCode === null && c.signalCode === null && c.pid !== undefined;
    this.options.onChildren([...this.running.map((r) => r.child), ...this.oneShots].filter(live).map((c) => c.pid!));
  }

  /**
   * SIGTERM tier by tier, highest first (see ServiceSpec.stopTier); within a tier in parallel,
   * so the total stays within a few seconds. Stragglers get SIGKILL after the tier's timeout.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const option = this.options.stopTimeoutMs ?? 8_000;
    const timeoutOf = (tier: number) => (typeof option === 'function' ? option(tier) : option);
    for (const entry of this.running) if (entry.restartTimer) clearTimeout(entry.restartTimer);
    for (const child of this.oneShots) child.kill('SIGTERM');
    const tiers = [...new Set(this.running.map(tierOf))].sort((a, b) => b - a);
    for (const tier of tiers) {
      // Reverse start order inside a tier too, so signals still arrive in a sensible order.
      const entries = this.running.filter((e) => tierOf(e) === tier).reverse();
      await Promise.all(entries.map((entry) => this.stopOne(entry, timeoutOf(tier))));
    }
  }

  private async stopOne(entry: Running, timeout: number): Promise<void> {
    await entry.launching;
    const child = entry.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const started = Date.now();
    child.kill('SIGTERM');
    const done = await Promise.race([entry.exited.then(() => true), sleep(timeout).then(() => false)]);
    if (!done) {
      this.write(formatLine('supervisor', `${entry.spec.name} did not stop within ${timeout} ms; killing it`));
      child.kill('SIGKILL');
      await entry.exited;
    } else if (this.options.reportStops) {
      this.write(formatLine('supervisor', `${entry.spec.name} stopped in ${Date.now() - started} ms`));
    }
  }

  private spawnChild(spec: ServiceSpec, extraArgs: string[] = [], onLine: (line: string) => void = () => {}): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', CHILD_PRELOAD, spec.script, ...(spec.args ?? []), ...extraArgs], {
      cwd: this.options.rootDir,
      env: { ...this.options.env, ...spec.env, [SUPERVISOR_PID_ENV]: String(process.pid) },
      // The IPC channel is how a child learns that the supervisor is gone, even after a SIGKILL.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Own process group: a terminal Ctrl-C reaches only the supervisor, which then stops
      // the services in a safe order instead of all at once.
      detached: true,
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.write(formatLine(spec.name, line));
        onLine(line);
      });
    }
    // Reported at spawn by the callers, once the child is theirs (its PID is known as spawn()
    // returns): from the 'spawn' event, a tick later, the last service was missing from the lock
    // when start() resolved and the platform said "all services started".
    child.once('exit', () => this.reportChildren());
    return child;
  }

  private launch(entry: Running): void {
    entry.launching = this.launchAsync(entry).catch((err: unknown) => {
      this.write(formatLine('supervisor', `${entry.spec.name} could not start: ${(err as Error).message}`));
    });
  }

  private async launchAsync(entry: Running): Promise<void> {
    let extra: string[] = [];
    if (entry.spec.launchArgs) {
      try {
        extra = await entry.spec.launchArgs();
      } catch (err) {
        this.write(formatLine('supervisor', `${entry.spec.name}: ${(err as Error).message}; starting with its defaults`));
      }
    }
    if (this.stopping || this.fatal) return;
    entry.permanentFailure = null;
    const child = this.spawnChild(entry.spec, extra, (line) => {
      // Only what the service reports as an error or worse (a warning may be about a side port).
      if (!entry.permanentFailure && !isBelowError(line)) entry.permanentFailure = permanentFailureIn(line);
    });
    entry.child = child;
    this.reportChildren();
    entry.startedAt = Date.now();
    entry.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        if (this.stopping || this.fatal) return;
        if (entry.permanentFailure) {
          this.fail(`${entry.spec.name} cannot start: ${entry.permanentFailure}; a restart would not help`);
          return;
        }
        const uptime = Date.now() - entry.startedAt;
        const delay = nextRestartDelay(entry.restarts, uptime, this.options.backoff ?? defaultBackoff);
        this.write(formatLine('supervisor', `${entry.spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`));
        entry.restartTimer = setTimeout(() => {
          entry.restartTimer = null;
          if (!this.stopping && !this.fatal) this.launch(entry);
        }, delay);
      });
    });
  }

  private async runOnce(spec: ServiceSpec): Promise<number> {
    const extra = spec.launchArgs ? await spec.launchArgs() : [];
    const child = this.spawnChild(spec, extra);
    // A Ctrl-C during a one-shot step stops it too.
    this.oneShots.add(child);
    this.reportChildren();
    child.once('exit', () => this.oneShots.delete(child));
    return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  }

  private async waitForPort(spec: ServiceSpec, port: number): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    while (Date.now() < deadline && !this.stopping) {
      if (this.fatal) throw this.fatal;
      if (await portOpen(port)) return;
      await sleep(200);
    }
    if (!this.stopping) throw new Error(`${spec.name} did not open port ${port} within ${this.options.readyTimeoutMs ?? 60_000} ms`);
  }
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
