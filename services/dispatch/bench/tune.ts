/**
 * Parameter study: runs every instance under a root with each given config and prints averages.
 * Usage: tsx services/dispatch/bench/tune.ts <root> '<json config>' ['<json config>' ...]
 */
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DispatchConfigSchema } from '../src/core/config.js';
import { averageRow, formatMetricsTable } from '../src/mdrp/report.js';
import { runInstanceDir } from '../src/mdrp/run.js';
import type { MdrpMetrics } from '../src/mdrp/metrics.js';

const [root, ...configs] = process.argv.slice(2);
const dirs = readdirSync(root).filter((d) => existsSync(path.join(root, d, 'orders.txt'))).sort();
const rows: string[][] = [];
for (const json of configs.length ? configs : ['{}']) {
  const config = DispatchConfigSchema.parse(JSON.parse(json));
  const metrics: MdrpMetrics[] = [];
  let invalid = 0;
  for (const d of dirs) {
    const run = runInstanceDir(path.join(root, d), config);
    if (run.violations.length) invalid++;
    metrics.push(run.metrics);
    if (process.env.VERBOSE) console.log(formatMetricsTable([run.metrics]).split('\n')[1]);
  }
  const row = averageRow(metrics);
  row[0] = `${json}${invalid ? ` INVALID×${invalid}` : ''}`;
  rows.push(row);
  console.log(row.join('  '));
}
