import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { TOPIC } from '@riderflow/contracts';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { STEPS, latestTimestamp, runStep } from '@riderflow/walkthrough';
import { selectEngines } from './engines.js';
import { loadPlatformConfig } from './platform-config.js';

// `npm run demo`: the log-versus-queue story on the running platform, step by step in the terminal.

const program = new Command()
  .name('npm run demo --')
  .description('Walk through why Riderflow needs both an event log and a task queue, on the running platform (start it with npm start first).')
  .option('--step <id>', `run one step only: ${STEPS.map((s) => s.id).join(', ')}`)
  .option('--yes', 'do not wait for Enter between steps')
  .option('--dashboard <url>', 'dashboard URL to point at', `http://127.0.0.1:${process.env.PORT ?? 3000}`)
  .showHelpAfterError();

async function main(): Promise<void> {
  const opts = program.parse().opts<{ step?: string; yes?: boolean; dashboard: string }>();
  if (opts.step && !STEPS.some((s) => s.id === opts.step)) throw new Error(`unknown step "${opts.step}"; choose one of ${STEPS.map((s) => s.id).join(', ')}`);
  // The same URLs `npm start` gives its services: KAFKA_BROKERS / AMQP_URL when set, otherwise the
  // embedded brokers on STREAMLOG_PORT / TASKQUEUE_PORT / TASKQUEUE_HTTP_PORT (defaults 9092, 5673, 15673).
  const engines = selectEngines(loadPlatformConfig(process.env), 'unused.db');
  const config = loadConfig({ ...process.env, ...engines.env });
  const kafka = createKafka(config, 'riderflow-demo');
  const interactive = process.stdin.isTTY && !opts.yes;
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  const out = (s = '') => process.stdout.write(s + '\n');
  const ctx = {
    kafka,
    amqpUrl: config.amqpUrl,
    managementUrl: config.amqpManagementUrl,
    simNow: () => latestTimestamp(kafka, TOPIC.orderEvents),
    say: (line: string) => out(`   … ${line}`),
  };
  const steps = opts.step ? STEPS.filter((s) => s.id === opts.step) : STEPS;
  out('Riderflow walkthrough: the event log (a time machine) and the task queue (a post office).');
  out(`Open ${opts.dashboard} beside this terminal.\n`);
  let failures = 0;
  const outcomes: { step: (typeof STEPS)[number]; ok: boolean }[] = [];
  for (const [i, step] of steps.entries()) {
    out(`${i + 1}. ${step.title}`);
    out(`   ${step.lesson}`);
    const result = await runStep(step.id, ctx);
    for (const line of result.evidence) out(`   ${result.ok ? '✓' : '✗'} ${line}`);
    if (result.details?.length) out(`   (the full text is on the dashboard's walkthrough page: run the step there and open "full detail")`);
    out(`   Look: ${step.where}\n`);
    if (!result.ok) failures++;
    outcomes.push({ step, ok: result.ok });
    if (rl && i < steps.length - 1) await rl.question('   Press Enter for the next step… ');
  }
  rl?.close();
  out('Summary: what each step showed, in the platform\'s own flows');
  for (const [i, { step, ok }] of outcomes.entries()) out(`  ${ok ? '✓' : '✗'} ${i + 1}. ${step.title} — ${step.flows}`);
  const shown = outcomes.length - failures;
  out(failures ? `${shown} of ${outcomes.length} steps showed their evidence; ${failures} could not (see above).` : `All ${outcomes.length} steps showed their evidence.`);
  // Exit explicitly: a killed demo connection may leave a client timer behind.
  process.exit(failures ? 1 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${(err as Error).message}\n`);
  process.exit(1);
});
