// @riderflow/db: the one Prisma setup every service shares (client factory, migrations, generation).
export { openDatabase, type Database, type PrismaClient, type Db } from './database.js';
export { migrateDatabase, pendingMigrations } from './migrate.js';
export { ensureGenerated, deriveSchema } from './generate.js';
export { providerFor, sqliteFilePath, DEFAULT_DATABASE_URL, type Provider } from './provider.js';
