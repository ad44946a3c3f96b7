// Small statistics and the result table of the dashboard benchmark.

// The same statistics the dashboard's KPI tiles use.
export { mean, percentile } from '../server/core/window.js';

/** [what, measured, target, met (null = no target)] */
export type Row = [string, string, string, boolean | null];

export function printTable(rows: Row[]): void {
  const header: Row = ['metric', 'measured', 'target', null];
  const w = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => String(r[i]).length)));
  const line = (r: Row) => `${String(r[0]).padEnd(w[0]!)}  ${String(r[1]).padEnd(w[1]!)}  ${String(r[2]).padEnd(w[2]!)}  ${r[3] === null ? '' : r[3] ? 'met' : 'MISSED'}`;
  process.stdout.write(`\n${line(header).replace(/ +$/, '')}  result\n${'-'.repeat(w[0]! + w[1]! + w[2]! + 14)}\n${rows.map(line).join('\n')}\n`);
}
