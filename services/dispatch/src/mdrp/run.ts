import { performance } from 'node:perf_hooks';
import type { DispatchConfig } from '../core/config.js';
import type { CostLowerBound } from '../core/cost-bound.js';
import { DEFAULT_JOINT_LIMITS } from '../core/joint-certificate.js';
import { certifyUndelivered, instanceCostBound, type UndeliveredReport } from './certify.js';
import { loadInstance, type MdrpInstance } from './instance.js';
import { computeMetrics, type MdrpMetrics } from './metrics.js';
import { simulateInstance } from './simulate.js';
import { formatSolution, SOLUTION_FILES, type SolutionTexts } from './solution.js';
import { validateSolution, type Violation } from './validate.js';
import { writeFilesAtomically } from './write-atomic.js';

export interface InstanceRun {
  instance: MdrpInstance;
  texts: SolutionTexts;
  violations: Violation[];
  metrics: MdrpMetrics;
  /** A certificate for every undelivered order; any 'avoidable' one fails the run. */
  undelivered: UndeliveredReport;
  /** A lower bound on the cost per order of any solution (core/cost-bound.ts), not timed. */
  costBound: CostLowerBound;
  wallMs: number;
  /**
   * CPU time of the same span (process user + system): on a loaded machine the wall time measures
   * the other processes too, while CPU time is what the dispatcher itself needs.
   */
  cpuMs: number;
}

/** Simulates one instance day, checks the solution as it would be written, computes the metrics. */
/** `jointCertificates`: also try the joint certificate on avoidable-looking misses (the CLI's report; costs CPU). */
export interface RunOptions { jointCertificates?: boolean }

export function runInstance(instance: MdrpInstance, config: DispatchConfig, options: RunOptions = {}): InstanceRun {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = simulateInstance(instance, config);
  const texts = formatSolution(instance, result);
  const { violations, solution } = validateSolution(instance, texts);
  const metrics = computeMetrics(instance, solution);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // certificates are checked outside the timed dispatch: they are the proof, not the policy
  return {
    instance,
    texts,
    violations,
    metrics,
    undelivered: certifyUndelivered(instance, solution, options.jointCertificates ? { joint: DEFAULT_JOINT_LIMITS } : {}),
    costBound: instanceCostBound(instance),
    wallMs,
    cpuMs,
  };
}

export function runInstanceDir(dir: string, config: DispatchConfig, options: RunOptions = {}): InstanceRun {
  return runInstance(loadInstance(dir), config, options);
}

/** Writes the three solution files, only for a solution without violations. */
export function writeSolution(run: InstanceRun, outDir: string): void {
  if (run.violations.length > 0) throw new Error(`refusing to write an invalid solution for ${run.instance.name}`);
  writeFilesAtomically(outDir, {
    [SOLUTION_FILES.assignments]: run.texts.assignments,
    [SOLUTION_FILES.orders]: run.texts.orders,
    [SOLUTION_FILES.couriers]: run.texts.couriers,
  });
}
