// Test helpers shared by every suite that needs a real database (`@riderflow/db/testing`);
// kept out of the package index so services never load them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './database.js';
import { migrateDatabase } from './migrate.js';
import { migrationsDir } from './paths.js';

export interface TestDatabase { url: string; db: Database; drop(): Promise<void> }

/**
 * A migrated SQLite file for the committed migrations as they are now, made once and copied for
 * each test database: `prisma migrate deploy` is a CLI process of about 2 CPU seconds, and the
 * suite ran dozens of identical ones. Named by a hash of the migrations' names and SQL, so a new
 * or edited migration makes a new template; made in a temp dir and renamed into place, so a test
 * file running beside this one never copies a half-migrated file.
 */
export async function sqliteTemplate(): Promise<string> {
  const dir = migrationsDir('sqlite');
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      hash.update(path.relative(dir, p) + '\0');
      if (e.isDirectory()) walk(p);
      else hash.update(fs.readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  const file = path.join(os.tmpdir(), `rf-sqlite-template-${hash.digest('hex').slice(0, 16)}.db`);
  if (fs.existsSync(file)) return file;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sqlite-template-'));
  try {
    await migrateDatabase(`file:${path.join(work, 'template.db')}`);
    fs.renameSync(path.join(work, 'template.db'), file);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return file;
}

/** A migrated SQLite database in a fresh temp dir (a copy of the migrated template). */
export async function sqliteTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-test-db-'));
  const url = `file:${path.join(dir, 'test.db')}`;
  fs.copyFileSync(await sqliteTemplate(), path.join(dir, 'test.db'));
  // the same call as before: it finds nothing pending in the copy (a cheap read), and would
  // apply what the template lacks if it ever did
  await migrateDatabase(url);
  const db = await openDatabase(url);
  return { url, db, drop: async () => { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** A fresh, migrated PostgreSQL database created next to the one POSTGRES_URL names; dropped afterwards. */
export async function postgresTestDatabase(baseUrl: string, label: string): Promise<TestDatabase> {
  const name = `rf_${label}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await migrateDatabase(url);
  const db = await openDatabase(url);
  return {
    url,
    db,
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: baseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Polls `condition` every 50 ms until it holds, or throws after `timeoutMs` naming `what` (and `describe()`). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, describe?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${describe ? `: ${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
