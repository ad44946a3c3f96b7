#!/usr/bin/env tsx
import { CommanderError } from 'commander';
import { buildProgram, InputError, resolveOptions } from './cli/options.js';
import { BrokerUnreachableError, runSimulation } from './run.js';

/** `npm run sim -- [options]`. Exit codes: 0 done, 1 runtime failure (e.g. broker unreachable), 2 bad input. */
async function main(): Promise<number> {
  const program = buildProgram(process.env)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });
  try {
    program.parse(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
      process.stderr.write(`sim: ${err.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    throw err;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nsim: stopping (flushing what was generated; Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tty = process.stderr.isTTY;
  try {
    const options = resolveOptions(program);
    const summary = await runSimulation(options, {
      info: (line) => process.stdout.write(`${line}\n`),
      progress: (line) => process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`),
      signal: controller.signal,
    });
    if (tty) process.stderr.write('\n');
    if (!options.dryRun) {
      const wallS = summary.wallMs / 1000;
      process.stdout.write(
        `sent ${summary.eventsSent} events in ${wallS.toFixed(1)} s (${Math.round(summary.eventsSent / Math.max(wallS, 0.001))} ev/s): ` +
          `${Object.entries(summary.sentByTopic).map(([t, n]) => `${t} ${n}`).join(', ')}\n`,
      );
    }
    return 0;
  } catch (err) {
    if (tty) process.stderr.write('\n');
    if (err instanceof InputError) { process.stderr.write(`sim: ${err.message}\n`); return 2; }
    if (err instanceof BrokerUnreachableError) { process.stderr.write(`sim: ${err.message}\n`); return 1; }
    process.stderr.write(`sim: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => { process.stderr.write(`sim: ${(err as Error)?.stack ?? String(err)}\n`); process.exit(1); },
);
