// @riderflow/persistence: the Prisma client factory, migrations and the log → database projector.
export { openDatabase, type Database, type PrismaClient } from './database.js';
export { migrateDatabase } from './migrate.js';
export { ensureGenerated } from './generate.js';
export { providerFor, DEFAULT_DATABASE_URL, type Provider } from './provider.js';
