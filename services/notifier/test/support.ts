// The database and polling helpers every suite shares live in @riderflow/persistence.
export { postgresTestDatabase, sqliteTestDatabase, waitFor, type TestDatabase } from '@riderflow/persistence/testing.js';
