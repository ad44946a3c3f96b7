// Small statistics and the result table of the dashboard benchmark.

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** [what, measured, target, met (null = no target)] */
export type Row = [string, string, string, boolean | null];

export function printTable(rows: Row[]): void {
  const header: Row = ['metric', 'measured', 'target', null];
  const w = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => String(r[i]).length)));
  const line = (r: Row) => `${String(r[0]).padEnd(w[0]!)}  ${String(r[1]).padEnd(w[1]!)}  ${String(r[2]).padEnd(w[2]!)}  ${r[3] === null ? '' : r[3] ? 'met' : 'MISSED'}`;
  process.stdout.write(`\n${line(header).replace(/ +$/, '')}  result\n${'-'.repeat(w[0]! + w[1]! + w[2]! + 14)}\n${rows.map(line).join('\n')}\n`);
}
