import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Provider } from './provider.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export const REPO_ROOT = path.resolve(here, '../../..');
/** packages/db: the schema, its migrations and the Prisma CLI's config live here, beside the code. */
export const PACKAGE_ROOT = path.resolve(here, '..');
export const SOURCE_SCHEMA = path.join(PACKAGE_ROOT, 'prisma/schema.prisma');
export const PRISMA_CONFIG = path.join(PACKAGE_ROOT, 'prisma.config.ts');
export const GENERATED_DIR = path.resolve(here, '../generated');

export function migrationsDir(provider: Provider): string {
  return path.join(PACKAGE_ROOT, 'prisma/migrations', provider);
}

/** The schema the CLI reads for a provider: the source itself for SQLite, a derived copy for PostgreSQL. */
export function schemaPath(provider: Provider): string {
  return provider === 'sqlite' ? SOURCE_SCHEMA : path.join(GENERATED_DIR, 'postgresql.prisma');
}

export function clientDir(provider: Provider): string {
  return path.join(GENERATED_DIR, provider);
}
