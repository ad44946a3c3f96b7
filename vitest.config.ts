import { defineConfig } from 'vitest/config';

// One runner for every workspace. Tests that need a broker start their own on an
// ephemeral port, so files can run in parallel without colliding.
export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'simulator/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'data/**'],
    // Builds the Prisma clients once (they are generated, never committed) before any test imports them.
    // The dashboard pages likewise, built once before the tests that start dashboards.
    globalSetup: ['services/persistence/test/global-setup.ts', 'apps/dashboard/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
