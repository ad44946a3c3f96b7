// Test helpers shared by every suite that needs a real database (`@riderflow/db/testing`);
// kept out of the package index so services never load them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './database.js';
import { migrateDatabase } from './migrate.js';

export interface TestDatabase { url: string; db: Database; drop(): Promise<void> }

/** A migrated SQLite database in a fresh temp dir. */
export async function sqliteTestDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-test-db-'));
  const url = `file:${path.join(dir, 'test.db')}`;
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
