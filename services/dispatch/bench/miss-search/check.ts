import { certifyUndelivered } from '../../src/mdrp/certify.js';
import type { MdrpInstance } from '../../src/mdrp/instance.js';
import { computeMetrics, type MdrpMetrics } from '../../src/mdrp/metrics.js';
import type { SimulationResult } from '../../src/mdrp/simulate.js';
import { formatSolution, type SolutionTexts } from '../../src/mdrp/solution.js';
import { validateSolution, type Violation } from '../../src/mdrp/validate.js';

export interface CheckedSolution {
  texts: SolutionTexts;
  violations: Violation[];
  metrics: MdrpMetrics;
  /** Undelivered orders some courier could have delivered (no certificate). */
  uncertified: string[];
}

/** Formats a whole-day solution as the evaluator's files and checks it with the repository's validator. */
export function checkSolution(instance: MdrpInstance, result: SimulationResult): CheckedSolution {
  const texts = formatSolution(instance, result);
  const { violations, solution } = validateSolution(instance, texts);
  return {
    texts,
    violations,
    metrics: computeMetrics(instance, solution),
    uncertified: certifyUndelivered(instance, solution).avoidable.map((a) => a.orderId),
  };
}
