#!/usr/bin/env tsx
/**
 * The cost lower bound (src/core/cost-bound.ts) of every instance under a folder, without
 * simulating: `npx tsx services/dispatch/bench/cost-bound.ts <root>`. One line per instance
 * (deliverable orders, old bound, new bound, CPU ms), then the averages per instance.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { instanceCostBound } from '../src/mdrp/certify.js';
import { loadInstance } from '../src/mdrp/instance.js';

const root = process.argv[2];
if (!root) {
  console.error('usage: cost-bound.ts <root>');
  process.exit(2);
}
const dirs = readdirSync(root).filter((n) => existsSync(path.join(root, n, 'orders.txt'))).sort();
let naive = 0;
let bound = 0;
let maxMs = 0;
for (const name of dirs) {
  const inst = loadInstance(path.join(root, name));
  const t0 = process.cpuUsage();
  const b = instanceCostBound(inst);
  const u = process.cpuUsage(t0);
  const ms = (u.user + u.system) / 1000;
  maxMs = Math.max(maxMs, ms);
  naive += b.naivePerOrder;
  bound += b.perOrder;
  console.log(`${name}\t${b.deliverableOrders}\t${b.naivePerOrder.toFixed(3)}\t${b.perOrder.toFixed(3)}\t${ms.toFixed(0)} ms`);
}
console.log(`AVERAGE over ${dirs.length}: old bound $${(naive / dirs.length).toFixed(3)}, new bound $${(bound / dirs.length).toFixed(3)}; CPU max ${maxMs.toFixed(0)} ms`);
