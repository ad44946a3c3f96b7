// The database and polling helpers every suite shares live in @riderflow/db.
export { postgresTestDatabase, sqliteTestDatabase, waitFor, type TestDatabase } from '@riderflow/db/testing';
