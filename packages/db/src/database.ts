import type { PrismaClient } from '../generated/sqlite/client.js';
import { ensureGenerated } from './generate.js';
import { providerFor, sqliteFilePath, type Provider } from './provider.js';

export type { PrismaClient };
export type * as Db from '../generated/sqlite/client.js';

export interface Database {
  prisma: PrismaClient;
  provider: Provider;
  close(): Promise<void>;
}

/**
 * Opens the database a URL names: SQLite through better-sqlite3 or PostgreSQL through pg, each
 * with the client generated for its dialect. Both clients come from the same schema, so they
 * share one type (the SQLite one is used as the static type for both). The generated modules are
 * imported lazily so a fresh checkout generates them on first use.
 */
export async function openDatabase(databaseUrl: string): Promise<Database> {
  await ensureGenerated();
  const provider = providerFor(databaseUrl);
  let prisma: PrismaClient;
  if (provider === 'postgresql') {
    const [{ PrismaClient: PgClient }, { PrismaPg }] = await Promise.all([
      import('../generated/postgresql/client.js'),
      import('@prisma/adapter-pg'),
    ]);
    prisma = new PgClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) }) as unknown as PrismaClient;
  } else {
    const [{ PrismaClient: SqliteClient }, { PrismaBetterSQLite3 }] = await Promise.all([
      import('../generated/sqlite/client.js'),
      import('@prisma/adapter-better-sqlite3'),
    ]);
    const file = sqliteFilePath(databaseUrl);
    prisma = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
    // WAL lets readers (dashboard) and writers (projector, notifier) share the file; the busy
    // timeout makes concurrent writers wait for the lock instead of failing.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$queryRawUnsafe('PRAGMA busy_timeout = 10000');
    // In WAL mode NORMAL is still safe against application crashes (only an OS crash or power
    // loss can lose the last commits) and saves an fsync per transaction.
    await prisma.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  }
  await prisma.$connect();
  return { prisma, provider, close: () => prisma.$disconnect() };
}
