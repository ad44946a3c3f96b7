import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase, pendingMigrations } from '../src/migrate.js';
import { sqliteTemplate, sqliteTestDatabase } from '../src/testing.js';

// Test databases are copies of one migrated template (sqliteTemplate), not a `prisma migrate
// deploy` each. The template must be what a fresh migration makes, and made once.

/** every table, index and trigger as SQLite stores its definition, sorted */
function schemaOf(file: string): string[] {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[])
      .map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`);
  } finally {
    db.close();
  }
}

describe('the SQLite test template', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-template-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the schema a fresh `prisma migrate deploy` makes, with every migration recorded', async () => {
    // a fresh file through the CLI, as a service's first start migrates it (the template never stands in here)
    const fresh = path.join(dir, 'fresh.db');
    await migrateDatabase(`file:${fresh}`);
    const template = await sqliteTemplate();
    expect(schemaOf(template)).toEqual(schemaOf(fresh));
    expect(schemaOf(template).length).toBeGreaterThan(10);
    expect(await pendingMigrations(`file:${template}`)).toEqual([]);
  }, 120_000);

  it('is made once and copied: a second call names the same untouched file, and each test database is its own copy', async () => {
    const first = await sqliteTemplate();
    const made = fs.statSync(first).mtimeMs;
    expect(await sqliteTemplate()).toBe(first);
    expect(fs.statSync(first).mtimeMs).toBe(made);
    const a = await sqliteTestDatabase();
    const b = await sqliteTestDatabase();
    try {
      expect(a.url).not.toBe(b.url);
      await a.db.prisma.zone.create({ data: { id: 'z1', name: 'one', centerLat: 0, centerLon: 0 } });
      expect(await a.db.prisma.zone.count()).toBe(1);
      expect(await b.db.prisma.zone.count()).toBe(0);
      expect(schemaOf(first)).toEqual(schemaOf(new URL(a.url.replace(/^file:/, 'file://')).pathname));
      expect(await pendingMigrations(a.url)).toEqual([]);
    } finally {
      await a.drop();
      await b.drop();
    }
  }, 120_000);
});
