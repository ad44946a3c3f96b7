import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureGenerated } from './generate.js';
import { migrationsDir, PRISMA_CONFIG } from './paths.js';
import { runPrismaCli } from './prisma-cli.js';
import { DEFAULT_DATABASE_URL, providerFor, sqliteFilePath } from './provider.js';

/** Migrations committed for the URL's dialect that the database has not applied yet. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const provider = providerFor(databaseUrl);
  const dir = migrationsDir(provider);
  const committed = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const sql = 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  let applied: string[] = [];
  if (provider === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    if (file === ':memory:' || !fs.existsSync(file)) return committed;
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(file, { readonly: true, fileMustExist: true });
    try {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
      if (exists) applied = (db.prepare(sql).all() as { migration_name: string }[]).map((r) => r.migration_name);
    } finally {
      db.close();
    }
  } else {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const exists = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS ok");
      if (exists.rows[0]?.ok) applied = (await client.query<{ migration_name: string }>(sql)).rows.map((r) => r.migration_name);
    } finally {
      await client.end();
    }
  }
  const done = new Set(applied);
  return committed.filter((m) => !done.has(m));
}

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
  // Every service migrates at start; only call the CLI when there is something to apply, so a
  // service starting beside others that hold the SQLite file open never waits on its lock.
  if ((await pendingMigrations(databaseUrl)).length === 0) return;
  await runPrismaCli(['migrate', 'deploy', '--config', PRISMA_CONFIG], { DATABASE_URL: databaseUrl });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  migrateDatabase(url).then(
    () => console.log(`migrations applied (${providerFor(url)})`),
    (err: unknown) => { console.error(err instanceof Error ? err.message : err); process.exit(1); },
  );
}
