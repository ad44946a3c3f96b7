import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { LabCliLineSchema, type LabRunRecord, type LabRunState } from '@riderflow/contracts';
import { HumanError } from '../core/human-error.js';
import { fmtSimTime } from '../core/sim-time.js';

// Starts the policy lab (apps/lab) as a child process by path, the way the platform starts its
// services: the dashboard's code imports no app or service, and a lab run (seconds of CPU) never
// blocks the gateway's event loop. One run at a time; the CLI's `--json` lines are its progress.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const LAB_MAIN = path.join(root, 'apps/lab/src/main.ts');
// The platform's child preload: the child leaves when the dashboard goes away, even by SIGKILL
// (the IPC channel closes, and a watchdog thread sees the child re-parented while it replays).
const CHILD_PRELOAD = path.join(root, 'services/platform/src/supervisor/child-preload.ts');

export interface LabRunInput {
  fromMs: number;
  toMs: number;
  policy: string;
  /** off | forecast | oracle (the CLI's --rostering) */
  rostering: string;
  sets: string[];
  seeds: number;
}

export type { LabRunState };

/**
 * "Busy" names the run that is going (found on a tour: a bare "a lab run is in progress" left the
 * person guessing whose run it was and whether it was stuck): its id, what it replays and when it
 * started (wall clock; the window is in simulated time, like the form's).
 */
function busyMessage(run: LabRunState | null): string {
  if (!run) return 'A lab run is in progress; wait for it to finish.';
  const { input } = run;
  const name = run.runId ?? '(starting, no id yet)';
  const what = `policy ${input.policy}, rostering ${input.rostering}, window ${fmtSimTime(input.fromMs, false)} – ${fmtSimTime(input.toMs, false)}, ${input.seeds} seed${input.seeds === 1 ? '' : 's'}`;
  return `A lab run is in progress: ${name} (${what}), started ${fmtSimTime(run.startedAt)} UTC; wait for it to finish.`;
}

export class LabRunner {
  private child: ChildProcess | null = null;
  private last: LabRunState | null = null;
  /** The CLI's verdict per input checked while a run was going: a refusal's words, or null (valid). */
  private readonly verdicts = new Map<string, Promise<string | null>>();
  private readonly listeners = new Set<(state: LabRunState) => void>();

  /** `modelsDir`: where the rostering service keeps its trained models (the lab's --models-dir for `forecast`). */
  constructor(private readonly brokers: string, private readonly onFinished: (record: LabRunRecord) => void = () => {}, private readonly modelsDir?: string) {}

  current(): LabRunState | null {
    return this.last && { ...this.last };
  }

  /** Calls `fn` with the run's state on every change (the dashboard pushes it to the pages); returns an unsubscribe. */
  subscribe(fn: (state: LabRunState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(run: LabRunState): void {
    // Only the run the page shows: a refused input (never started) is not a run.
    if (this.last !== run) return;
    for (const fn of this.listeners) {
      try { fn({ ...run }); } catch { /* a listener's failure is not the run's */ }
    }
  }

  /**
   * Resolves once the CLI has accepted the input (its `started` line); a refusal (exit 2: bad
   * policy, bad --set, a window it cannot read) rejects with the CLI's own words.
   */
  async start(input: LabRunInput): Promise<LabRunState> {
    if (this.child) {
      // Bad input is refused as such before "busy": the CLI alone knows the dispatch parameters
      // (`--set`), so it checks them (`--check`, no log read, no run slot taken).
      if (input.sets.length > 0) await this.check(input);
      // The run may have ended while the check ran: then this one starts.
      if (this.child) throw new HumanError(409, busyMessage(this.last));
    }
    return this.run(input);
  }

  private args(input: LabRunInput): string[] {
    const args = ['--json', '--brokers', this.brokers, '--from', new Date(input.fromMs).toISOString(), '--to', new Date(input.toMs).toISOString(), '--policy', input.policy, '--rostering', input.rostering, '--seeds', String(input.seeds)];
    for (const s of input.sets) args.push('--set', s);
    return args;
  }

  private spawnLab(args: string[]): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', '--import', CHILD_PRELOAD, LAB_MAIN, ...args], {
      cwd: root,
      env: { ...process.env, RIDERFLOW_SUPERVISOR_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
  }

  /**
   * The CLI's verdict on the input alone. A refusal rejects with its words (400); a valid input
   * resolves. Verdicts are kept per input (they depend only on the code), so a page that retries
   * while a run is going starts one check per distinct input, not one per request.
   */
  private check(input: LabRunInput): Promise<void> {
    const key = JSON.stringify([input.policy, input.rostering, input.seeds, input.sets]);
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = new Promise<string | null>((resolve) => {
        const child = this.spawnLab([...this.args(input), '--check']);
        let refusal: string | null = null;
        let stderrTail = '';
        child.stderr!.on('data', (d: Buffer) => { stderrTail = (stderrTail + d.toString()).slice(-2_000); });
        createInterface({ input: child.stdout! }).on('line', (text) => {
          try {
            const line = LabCliLineSchema.safeParse(JSON.parse(text));
            if (line.success && line.data.type === 'error') refusal = line.data.message;
          } catch { /* not a line of the protocol */ }
        });
        child.once('exit', (code) => {
          if (code === 2) resolve(refusal ?? (stderrTail.trim().split('\n').pop() || 'the lab refused the input'));
          else {
            // Not a verdict on the input (the check itself failed): not kept, and the caller says busy.
            this.verdicts.delete(key);
            resolve(null);
          }
        });
      });
      if (this.verdicts.size >= 100) this.verdicts.delete(this.verdicts.keys().next().value!);
      this.verdicts.set(key, verdict);
    }
    return verdict.then((refusal) => {
      if (refusal !== null) throw new HumanError(400, refusal);
    });
  }

  private run(input: LabRunInput): Promise<LabRunState> {
    const args = this.args(input);
    // Resolved here: the child runs in the repository root, the dashboard maybe elsewhere.
    if (this.modelsDir) args.push('--models-dir', path.resolve(this.modelsDir));
    const child = this.spawnLab(args);
    this.child = child;
    // A refused input is not a run: the page keeps showing the last real one.
    const previous = this.last;
    const run: LabRunState = { runId: null, input, state: 'running', startedAt: Date.now(), phase: 'starting', done: 0, text: 'starting the lab', error: null, record: null };
    this.last = run;
    let stderrTail = '';
    child.stderr!.on('data', (d: Buffer) => { stderrTail = (stderrTail + d.toString()).slice(-2_000); });
    return new Promise<LabRunState>((resolve, reject) => {
      let answered = false;
      const answer = (err: HumanError | null) => {
        if (answered) return;
        answered = true;
        if (err && run.runId === null) this.last = previous;
        if (err) reject(err);
        else resolve({ ...run });
      };
      createInterface({ input: child.stdout! }).on('line', (text) => {
        let raw: unknown;
        try { raw = JSON.parse(text); } catch { return; }
        const parsed = LabCliLineSchema.safeParse(raw);
        if (!parsed.success) return;
        const line = parsed.data;
        if (line.type === 'started') { run.runId = line.runId; answer(null); }
        else if (line.type === 'progress') { run.phase = line.phase; run.done = line.done; run.text = line.text; }
        else if (line.type === 'result') { run.record = line.record; run.phase = 'done'; run.done = 1; run.text = 'done'; this.onFinished(line.record); }
        // Answered at exit, not here: a refusal leaves no child behind and no run slot taken.
        else run.error = line.message;
        if (run.runId !== null) this.changed(run);
      });
      child.once('exit', (code, signal) => {
        this.child = null;
        if (code === 0 && run.record) run.state = 'done';
        else {
          run.state = 'failed';
          run.error ??= signal ? `the lab stopped (${signal})` : (stderrTail.trim().split('\n').pop() ?? `the lab exited with ${code}`);
        }
        answer(run.error ? new HumanError(code === 2 ? 400 : 502, run.error) : null);
        this.changed(run);
      });
    });
  }

  /** Ends a running lab when the dashboard stops. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  }
}
