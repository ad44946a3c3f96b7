import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, pendingMigrations } from '../src/migrate.js';
import { providerFor, sqliteFilePath } from '../src/provider.js';
import { deriveSchema } from '../src/generate.js';
import { postgresTestDatabase, sqliteTestDatabase, type TestDatabase } from '../src/testing.js';

const POSTGRES_URL = process.env.POSTGRES_URL;

describe('database URLs', () => {
  it('picks the dialect from DATABASE_URL', () => {
    expect(providerFor('file:./data/riderflow.db')).toBe('sqlite');
    expect(providerFor('postgres://u@h/db')).toBe('postgresql');
    expect(providerFor('postgresql://u@h/db')).toBe('postgresql');
    expect(sqliteFilePath('file:./data/x.db', '/repo')).toBe('/repo/data/x.db');
    expect(sqliteFilePath('file:/abs/x.db?mode=rwc', '/repo')).toBe('/abs/x.db');
  });
  it('derives the PostgreSQL schema from the one source by swapping the provider only', () => {
    const src = 'generator client {\n  provider = "prisma-client"\n  output = "../out/sqlite"\n}\ndatasource db {\n  provider = "sqlite"\n  url = env("DATABASE_URL")\n}\nmodel A { id String @id }\n';
    const pg = deriveSchema(src, 'postgresql', './pg');
    expect(pg).toContain('provider = "postgresql"');
    expect(pg).toContain('provider = "prisma-client"');
    expect(pg).toContain('output = "./pg"');
    expect(pg).toContain('model A { id String @id }');
  });
});

const databases = [
  { name: 'SQLite', available: true, open: sqliteTestDatabase },
  { name: 'PostgreSQL', available: !!POSTGRES_URL, open: () => postgresTestDatabase(POSTGRES_URL!, 'db') },
];

for (const database of databases) {
  describe.skipIf(!database.available)(`${database.name} database`, () => {
    let t: TestDatabase;
    beforeAll(async () => { t = await database.open(); });
    afterAll(async () => { await t?.drop(); });

    it('has every table after migrations, and migrating again is a no-op', async () => {
      expect(await pendingMigrations(t.url)).toEqual([]);
      await migrateDatabase(t.url);
      const p = t.db.prisma;
      expect(t.db.provider).toBe(database.name === 'SQLite' ? 'sqlite' : 'postgresql');
      const counts = await Promise.all([p.zone.count(), p.store.count(), p.rider.count(), p.shift.count(), p.order.count(), p.assignment.count(),
        p.rosterPlan.count(), p.modelVersion.count(), p.modelMetric.count(), p.notification.count(), p.simulationRun.count(), p.processedEvent.count()]);
      expect(counts).toEqual(Array(12).fill(0));
    });

    it('enforces one notification per idempotency key', async () => {
      const p = t.db.prisma;
      const row = { audience: 'customer', channel: 'email', recipient: 'a@b', template: 't', status: 'sending' };
      await p.notification.create({ data: { id: 'n1', idempotencyKey: 'k1', ...row } });
      await expect(p.notification.create({ data: { id: 'n2', idempotencyKey: 'k1', ...row } })).rejects.toMatchObject({ code: 'P2002' });
      expect(await p.notification.count()).toBe(1);
    });

    it('stores model versions with their metrics and simulation runs with KPIs', async () => {
      const p = t.db.prisma;
      await p.modelVersion.create({ data: { id: 'mv-1', trainedFrom: new Date(0), trainedTo: new Date(1000), metrics: { create: [{ name: 'mae', value: 1.5 }, { name: 'mape', value: 0.2 }] } } });
      const mv = await p.modelVersion.findUnique({ where: { id: 'mv-1' }, include: { metrics: { orderBy: { name: 'asc' } } } });
      expect(mv?.metrics.map((m) => [m.name, m.value])).toEqual([['mae', 1.5], ['mape', 0.2]]);
      await p.simulationRun.create({ data: { id: 'run-1', seed: 42, speed: 30, startedAt: new Date(0), ordersDelivered: 10, avgClickToDoorMin: 31.5 } });
      expect((await p.simulationRun.findUnique({ where: { id: 'run-1' } }))?.avgClickToDoorMin).toBe(31.5);
    });
  });
}
