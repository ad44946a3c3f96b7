/**
 * The bench budgets its searches in CPU time (the core's search counts iterations, to stay
 * deterministic): the fraction of `budgetMs` of process CPU spent since this was called, read
 * every 16 iterations (reading the clock costs more than an iteration of a small search).
 */
export function cpuProgress(budgetMs: number): (it: number) => number {
  const t0 = process.cpuUsage();
  let last = 0;
  return (it) => {
    if ((it & 15) === 0) {
      const u = process.cpuUsage(t0);
      last = (u.user + u.system) / 1000 / budgetMs;
    }
    return last;
  };
}
