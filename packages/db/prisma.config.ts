// Prisma CLI configuration. One schema source (prisma/schema.prisma, SQLite) and one migrations
// folder per SQL dialect; DATABASE_URL picks the dialect, the matching schema and the driver
// adapter through which the CLI's WebAssembly schema engine reaches the database.
// `npm run db:migrate` is the usual way in (it generates the clients and sets the engine
// variables first); running `npx prisma migrate deploy --config packages/db/prisma.config.ts` directly works as well once it has.
import path from 'node:path';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/riderflow.db';
const postgres = /^postgres(ql)?:\/\//i.test(databaseUrl);
const provider = postgres ? 'postgresql' : 'sqlite';

// Workaround for prisma/prisma#27403: @prisma/adapter-pg 6.19 rejects columns of PostgreSQL's
// `name` type (OID 19), which the schema engine's catalog queries return, so every migrate
// command fails with "Column type 'name' could not be deserialized". A `name` is a string, so the
// migration connection reports it as text (OID 25). Only the CLI uses this pool.
const NAME_OID = 19;
const TEXT_OID = 25;
type Result = { fields?: { dataTypeID: number }[] };
function nameAsText<T>(result: T): T {
  for (const field of (result as Result | undefined)?.fields ?? []) if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  return result;
}
class NameAsTextClient extends pg.Client {
  override query(...args: unknown[]): any {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, result: unknown) => (last as (e: unknown, r: unknown) => void)(err, err ? result : nameAsText(result));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return out instanceof Promise ? out.then(nameAsText) : out;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: postgres ? path.join('generated', 'postgresql.prisma') : path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations', provider) },
  adapter: async () =>
    postgres
      ? new PrismaPg(new pg.Pool({ connectionString: databaseUrl, Client: NameAsTextClient, allowExitOnIdle: true }), { disposeExternalPool: true })
      : new PrismaBetterSQLite3({ url: databaseUrl }),
});
