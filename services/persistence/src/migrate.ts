import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureGenerated } from './generate.js';
import { PRISMA_CONFIG } from './paths.js';
import { runPrismaCli } from './prisma-cli.js';
import { DEFAULT_DATABASE_URL, providerFor, sqliteFilePath } from './provider.js';

/**
 * Applies the committed migrations of the URL's dialect with `prisma migrate deploy` (the
 * WebAssembly schema engine through the driver adapter named in prisma.config.ts). Idempotent.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  await ensureGenerated();
  if (providerFor(databaseUrl) === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  }
  await runPrismaCli(['migrate', 'deploy', '--config', PRISMA_CONFIG], { DATABASE_URL: databaseUrl });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  migrateDatabase(url).then(
    () => console.log(`migrations applied (${providerFor(url)})`),
    (err: unknown) => { console.error(err instanceof Error ? err.message : err); process.exit(1); },
  );
}
