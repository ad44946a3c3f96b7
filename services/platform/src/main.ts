import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformConfig } from './platform-config.js';
import { platformServices } from './services.js';
import { Supervisor } from './supervisor.js';
import { formatLine } from './log-lines.js';

// `npm start`: the whole platform on embedded defaults, supervised, stopped by one Ctrl-C.
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let supervisor: Supervisor | null = null;

async function main(): Promise<void> {
  const config = loadPlatformConfig(process.env);
  const { specs, env } = platformServices(config);
  const missing = specs.filter((s) => !existsSync(path.join(rootDir, s.script))).map((s) => s.script);
  if (missing.length) throw new Error(`missing entry points: ${missing.join(', ')}`);
  mkdirSync(path.resolve(rootDir, config.DATA_DIR), { recursive: true });

  supervisor = new Supervisor({ rootDir, env: { ...process.env, ...env } });
  const say = (msg: string) => process.stdout.write(formatLine('riderflow', msg) + '\n');
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    if (stopping) return;
    say(`${signal}: stopping every service (data stays in ${config.DATA_DIR})`);
    stopping = supervisor!.stop().then(() => {
      say('stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await supervisor.start(specs);
  if (!supervisor.isStopping) say(`dashboard: http://127.0.0.1:${config.PORT}`);
}

main().catch(async (err: unknown) => {
  process.stderr.write(`riderflow: ${err instanceof Error ? err.message : String(err)}\n`);
  await supervisor?.stop();
  process.exit(1);
});
