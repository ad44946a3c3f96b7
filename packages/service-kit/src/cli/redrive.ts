// `npm run redrive -- --queue tasks.dead [--limit N] [--dry-run] [--max-redrives N] [--force] [--dead-letter-exchange X]`: puts dead letters back where
// they came from (see ../redrive.ts) and says what it did in words, with how long it took.
import { Command, InvalidArgumentError } from 'commander';
import { connectAmqp } from '../amqp.js';
import { loadConfig } from '../config.js';
import { EXCHANGES, QUEUES } from '@riderflow/contracts';
import { DEFAULT_MAX_REDRIVES, redrive } from '../redrive.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new InvalidArgumentError(`expected a whole number from 1 to 65535, got "${value}"`);
  return n;
}

const program = new Command('redrive')
  .description('Move dead letters back to the exchange and routing key they came from; each is removed only after the broker confirms it is back.')
  .option('--queue <name>', 'the dead-letter queue', QUEUES.tasksDead)
  .option('--limit <n>', 'at most this many messages', positiveInt, 100)
  .option('--dry-run', 'say what would move, move nothing', false)
  .option('--max-redrives <n>', 'leave messages already redriven this many times where they are', positiveInt, DEFAULT_MAX_REDRIVES)
  .option('--force', 'redrive those too', false)
  .option('--dead-letter-exchange <name>', 'the exchange that feeds the queue, watched to count moved messages that come straight back dead', EXCHANGES.deadLetters)
  .option('--url <amqp-url>', 'broker (default: AMQP_URL)')
  .parse();

const opts = program.opts<{ queue: string; limit: number; dryRun: boolean; maxRedrives: number; force: boolean; deadLetterExchange: string; url?: string }>();

async function main(): Promise<number> {
  const amqpUrl = opts.url ?? loadConfig().amqpUrl;
  const connection = await connectAmqp({ amqpUrl }, { connectionName: 'redrive-cli' });
  connection.on('error', () => {});
  try {
    const report = await redrive(connection, { queue: opts.queue, limit: opts.limit, dryRun: opts.dryRun, maxRedrives: opts.maxRedrives, force: opts.force, deadLetterExchange: opts.deadLetterExchange });
    console.log(report.summary);
    for (const l of report.left) console.log(`  left: ${l.preview} (routing key "${l.routingKey}"): ${l.why}`);
    const watched = report.returnWaitMs > 0 ? `, then watched ${report.returnWaitMs} ms for moved ones dying again` : '';
    console.log(`${report.dryRun ? 'looked at' : 'redrove'} ${report.examined} message${report.examined === 1 ? '' : 's'} in ${report.elapsedMs} ms${watched}`);
    return 0;
  } finally {
    await connection.close().catch(() => {});
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`redrive failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
