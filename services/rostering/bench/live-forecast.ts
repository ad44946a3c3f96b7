import { Command } from 'commander';
import { TOPIC, type LogEvent, type RosterPlan } from '@riderflow/contracts';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { replayLog } from '../src/adapters/replay.js';
import { BASELINES, baselineForecast, type BaselineName } from '../src/core/baselines.js';
import { BUCKET_MS, bucketOf } from '../src/core/buckets.js';
import { DemandHistory } from '../src/core/demand-history.js';
import { liveForecastReport, type PlanRecord } from './live-forecast-report.js';

// Live forecast truth, read from the log of a running (or stopped) platform: every forecast
// rostering published in `roster.plans` against the orders that then arrived in the same zones
// over the same 45 minutes, and each baseline's forecast for the same plans computed the same way.
//   KAFKA_BROKERS=127.0.0.1:19092 npx tsx services/rostering/bench/live-forecast.ts [--from <ISO>] [--to <ISO>]

const program = new Command()
  .name('live-forecast')
  .description('Live forecast MAE and bias of the published roster plans vs the best baseline, from the log')
  .option('--from <iso>', 'only plans whose window starts at or after this simulated time')
  .option('--to <iso>', 'only plans whose window ends at or before this simulated time')
  .option('--min-hours <h>', 'simulated hours of plans the verdict needs', Number, 6)
  .parse();
const o = program.opts<{ from?: string; to?: string; minHours: number }>();

const config = loadConfig();
const kafka = createKafka(config, 'rostering-live-forecast');
const history = new DemandHistory();
const plans: RosterPlan[] = [];
let lastOrderTs = -Infinity;
const replay = await replayLog({
  kafka,
  topics: [TOPIC.orderEvents, TOPIC.rosterPlans],
  onEvent: (e: LogEvent) => {
    if (e.type === 'order.created') {
      history.add(e);
      if (e.ts > lastOrderTs) lastOrderTs = e.ts;
    } else if (e.type === 'roster.plan') plans.push(e as RosterPlan);
  },
});
const from = o.from ? Date.parse(o.from) : -Infinity;
const to = Math.min(o.to ? Date.parse(o.to) : Infinity, bucketOf(lastOrderTs) * BUCKET_MS); // the bucket still filling is not "arrived"
// A plan is re-published only when a service restarts mid-bucket: keep the first of each window.
const seen = new Set<number>();
const records: PlanRecord[] = [];
for (const p of plans.sort((a, b) => a.bucketStart - b.bucketStart || a.ts - b.ts)) {
  const end = p.bucketStart + p.horizonMin * 60_000;
  if (p.bucketStart < from || end > to || seen.has(p.bucketStart)) continue;
  seen.add(p.bucketStart);
  const origin = bucketOf(p.bucketStart) - 1;
  const steps = Math.round(p.horizonMin / (BUCKET_MS / 60_000));
  records.push({
    bucketStart: p.bucketStart,
    modelVersion: p.modelVersion,
    zones: p.zones.map((z) => {
      let actual = 0;
      for (let i = 1; i <= steps; i++) actual += history.orders(z.zoneId, origin + i);
      // Baselines only read buckets up to the origin, so the whole history can be loaded first.
      const baselines = Object.fromEntries(BASELINES.map((name) => [name, baselineForecast(name, history, z.zoneId, origin, steps).reduce((s, v) => s + v, 0)])) as Record<BaselineName, number>;
      return { zoneId: z.zoneId, forecast: z.forecastOrders, actual, baselines };
    }),
  });
}
console.log(`log: ${replay.events} events read (order.events, roster.plans); ${plans.length} plans, ${records.length} complete windows`);
console.log(liveForecastReport(records, o.minHours));
process.exit(0);
