import path from 'node:path';

export type Provider = 'sqlite' | 'postgresql';

export const DEFAULT_DATABASE_URL = 'file:./data/riderflow.db';

/** Which SQL dialect a DATABASE_URL speaks: postgres(ql):// → PostgreSQL, anything else → SQLite. */
export function providerFor(databaseUrl: string): Provider {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgresql' : 'sqlite';
}

/** Absolute file path of a SQLite URL (`file:./data/x.db`, `file:/abs.db`, or a bare path), relative to cwd. */
export function sqliteFilePath(databaseUrl: string, cwd = process.cwd()): string {
  const raw = databaseUrl.replace(/^file:/i, '').replace(/\?.*$/, '');
  if (raw === ':memory:') return raw;
  return path.resolve(cwd, raw);
}
