import { Command } from 'commander';
import type { LogEvent } from '@riderflow/contracts';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { DEMAND_TOPICS, replayLog } from '../src/adapters/replay.js';
import { bucketOf } from '../src/core/buckets.js';
import { DemandHistory } from '../src/core/demand-history.js';
import { cityDayTrend, featureVector } from '../src/core/features.js';
import { initBackend } from '../src/model/backend.js';
import { loadModel } from '../src/model/model-store.js';
import { ModelForecastSource } from '../src/model/forecast-source.js';
// Where a live forecast's level comes from, per simulated hour of plan starts: the city's day
// trend, the level correction, the bare network and the published (corrected) forecast of one
// model, each plan's 45 minutes (3 buckets) against the orders that came, on a platform's log.
//   KAFKA_BROKERS=127.0.0.1:19092 npx tsx services/rostering/bench/diag-live.ts <model dir> [--from <ISO>] [--to <ISO>]
const program = new Command()
  .argument('<model>', 'a model version folder (DATA_DIR/models/<version>)')
  .option('--from <iso>', 'first origin\'s next bucket (simulated)', '2025-03-03T11:45:00Z')
  .option('--to <iso>', 'last origin (simulated)', '2025-03-03T23:00:00Z')
  .parse();
const o = program.opts<{ from: string; to: string }>();
await initBackend({ log: () => {} });
const kafka = createKafka(loadConfig(), 'rostering-diag-live');
const history = new DemandHistory();
await replayLog({ kafka, topics: [...DEMAND_TOPICS], onEvent: (e: LogEvent) => { if (e.type !== 'roster.plan') history.add(e); } });
const { forecaster } = await loadModel(program.args[0]);
const src = new ModelForecastSource(forecaster, 'x');
const zones = history.zoneIds();
const start = bucketOf(Date.parse(o.from));
const hours = new Map<number, { pub: number; raw: number; act: number; n: number; tr: number; c: number }>();
let tp = 0, ta = 0, tabs = 0, tn = 0;
const endB = bucketOf(Date.parse(o.to));
for (let origin = start; origin + 3 <= Math.min(endB, history.lastCompleteBucket()); origin++) {
  const f = src.forecast(history, origin);
  const raw = forecaster.predict(zones.map((z) => featureVector(history, z, origin, 8)));
  const hr = Math.floor((origin + 1) / 4);
  const h = hours.get(hr) ?? { pub: 0, raw: 0, act: 0, n: 0, tr: 0, c: 0 };
  hours.set(hr, h);
  h.n++; h.tr += cityDayTrend(history, origin); h.c += src.lastCorrection;
  zones.forEach((z, i) => {
    let a = 0; for (let k = 1; k <= 3; k++) a += history.orders(z, origin + k);
    const p = f.get(z)!.slice(0, 3).reduce((s, v) => s + v, 0);
    h.pub += p; h.raw += raw[i].slice(0, 3).reduce((s, v) => s + v, 0); h.act += a;
    tp += p; ta += a; tabs += Math.abs(p - a); tn++;
  });
}
for (const [hr, h] of hours) console.log(`${new Date(hr * 3_600_000).toISOString().slice(11, 16)} trend ${(h.tr / h.n).toFixed(2)} corr ${(h.c / h.n).toFixed(2)} raw ${(h.raw / h.n).toFixed(1)} pub ${(h.pub / h.n).toFixed(1)} actual ${(h.act / h.n).toFixed(1)} bias ${((h.pub / h.act - 1) * 100).toFixed(1)} %`);
console.log(`total: MAE ${(tabs / tn).toFixed(3)} bias ${((tp / ta - 1) * 100).toFixed(1)} %`);
process.exit(0);
