import { Command } from 'commander';
import { createKafka, createLogger, loadConfig } from '@riderflow/service-kit';
import type { RosteringModelRecord } from '@riderflow/contracts';
import { activateVersion, MODELS_TOPIC, readModelRegistry, recordBytes, retireVersion } from './adapters/model-topic.js';
import { parseTime } from './cli-time.js';

// `npm run models -- [list | activate <version> | retire <version>]`: the model registry on the
// compacted topic rostering.models. A running rostering follows the topic, so an activation (a
// rollback) takes effect there within about a second.

const logger = createLogger('rostering-models', { level: process.env.LOG_LEVEL ?? 'warn' });
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : new Date(ms).toISOString().replace(':00.000Z', 'Z'));

function table(models: RosteringModelRecord[], active: string | undefined): string {
  const rows = models.map((m) => {
    const best = m.baselines[m.bestBaseline];
    return [
      m.version,
      m.version === active ? 'active' : m.status === 'active' ? 'active (superseded)' : m.status,
      iso(m.trainedAt),
      `${iso(m.trainingWindow.from)} … ${iso(m.trainingWindow.to)}`,
      m.metrics.mae.toFixed(3),
      best ? `${best.mae.toFixed(3)} (${m.bestBaseline})` : '–',
      `${(recordBytes(m) / 1024).toFixed(1)} kB`,
    ];
  });
  const head = ['version', 'status', 'trained at (simulated)', 'training window (simulated)', 'MAE', 'best baseline MAE', 'record'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const kafka = () => createKafka(loadConfig(), 'rostering-models');

async function run(action: () => Promise<void>): Promise<void> {
  try {
    await action();
    process.exit(0);
  } catch (err) {
    process.stderr.write(`models: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

const program = new Command().name('models').description(`The forecasting model registry on the compacted topic ${MODELS_TOPIC} (KAFKA_BROKERS).`);

program
  .command('list', { isDefault: true })
  .description('every version in the registry, oldest write first, and which one is active')
  .action(() => run(async () => {
    const state = await readModelRegistry(kafka(), logger);
    if (state.models.length === 0) {
      process.stdout.write(`${MODELS_TOPIC} holds no model version yet (train one: npm run train)\n`);
      return;
    }
    process.stdout.write(`${table(state.models, state.active?.version)}\n\n${state.models.length} version(s) from ${state.records} record(s) on ${MODELS_TOPIC}; active: ${state.active?.version ?? 'none (rostering forecasts with the best baseline)'}\n`);
  }));

program
  .command('activate')
  .argument('<version>', 'a version in the registry')
  .option('--at <time>', 'simulated time of the activation (epoch ms or ISO date); default: just after the latest activation in the registry', parseTime)
  .option('--keep <n>', 'inactive versions kept; older ones are retired', (v) => Number.parseInt(v, 10), 5)
  .description('make a version the active model (a rollback): it and the previous active one are written in one transaction')
  .action((version: string, o: { at?: number; keep: number }) => run(async () => {
    const k = kafka();
    const state = await readModelRegistry(k, logger);
    if (state.active?.version === version) {
      process.stdout.write(`${version} is already the active model; nothing written\n`);
      return;
    }
    const now = o.at ?? Math.max(0, ...state.models.map((m) => (m.activatedAt ?? m.trainedAt) + 1));
    const writes = await activateVersion(k, version, { now, keep: o.keep, logger });
    process.stdout.write(`${writes.map((w) => `${w.version}: ${w.value ? w.value.status : 'retired (tombstone)'}`).join('\n')}\nwritten to ${MODELS_TOPIC} in one transaction\n`);
  }));

program
  .command('retire')
  .argument('<version>', 'an inactive version in the registry')
  .description('retire a version: a tombstone; it leaves the registry (and, after delete.retention.ms, the topic)')
  .action((version: string) => run(async () => {
    await retireVersion(kafka(), version, logger);
    process.stdout.write(`${version}: retired (tombstone written to ${MODELS_TOPIC})\n`);
  }));

await program.parseAsync();
