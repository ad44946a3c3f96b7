import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { clientDir, GENERATED_DIR, schemaPath, SOURCE_SCHEMA } from './paths.js';
import { runPrismaCli } from './prisma-cli.js';
import type { Provider } from './provider.js';

const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];
const STAMP = path.join(GENERATED_DIR, 'schema.sha256');
const LOCK = path.join(GENERATED_DIR, '.generate.lock');

/** The source schema retargeted at a provider, with the client written to `output`. */
export function deriveSchema(source: string, provider: Provider, output: string): string {
  const datasource = /datasource\s+db\s*\{[^}]*\}/m;
  if (!datasource.test(source)) throw new Error('packages/db/prisma/schema.prisma has no `datasource db { ... }` block');
  return source
    .replace(datasource, (block) => block.replace(/provider\s*=\s*"[^"]*"/, `provider = "${provider}"`))
    .replace(/(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/m, `$1${JSON.stringify(output)}`);
}

function sourceHash(): string {
  return createHash('sha256').update(fs.readFileSync(SOURCE_SCHEMA)).digest('hex');
}

export function isGenerated(): boolean {
  if (!fs.existsSync(STAMP)) return false;
  if (fs.readFileSync(STAMP, 'utf8').trim() !== sourceHash()) return false;
  return PROVIDERS.every((p) => fs.existsSync(path.join(clientDir(p), 'client.ts')));
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another process is generating; a lock older than a minute belongs to a dead one.
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch { /* it just went away */ }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Generates the SQLite and PostgreSQL clients into packages/db/generated/ unless they
 * are already there for the current schema. npm never runs Prisma's own install scripts here
 * (they download native engines), so this is the step that produces the clients; tests, the
 * services and `npm run db:migrate` call it when the clients are missing or stale.
 */
export async function ensureGenerated(): Promise<void> {
  if (isGenerated()) return;
  await withLock(async () => {
    if (isGenerated()) return;
    const hash = sourceHash();
    const source = fs.readFileSync(SOURCE_SCHEMA, 'utf8');
    const tmp = fs.mkdtempSync(path.join(GENERATED_DIR, '.tmp-'));
    try {
      // The PostgreSQL schema is kept beside the clients so prisma.config.ts can point the CLI at it.
      fs.writeFileSync(schemaPath('postgresql'), deriveSchema(source, 'postgresql', './postgresql'));
      await Promise.all(PROVIDERS.map(async (provider) => {
        const file = path.join(tmp, `${provider}.prisma`);
        fs.writeFileSync(file, deriveSchema(source, provider, path.join(tmp, provider)));
        await runPrismaCli(['generate', '--schema', file], { DATABASE_URL: provider === 'sqlite' ? 'file:./unused.db' : 'postgresql://unused' });
      }));
      for (const provider of PROVIDERS) {
        fs.rmSync(clientDir(provider), { recursive: true, force: true });
        fs.renameSync(path.join(tmp, provider), clientDir(provider));
      }
      fs.writeFileSync(STAMP, hash + '\n');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureGenerated().then(
    () => console.log(`Prisma clients ready in ${GENERATED_DIR}`),
    (err: unknown) => { console.error(err); process.exit(1); },
  );
}
