import { defineConfig } from 'vitest/config';

// One runner for every workspace. Tests that need a broker start their own on an
// ephemeral port, so files can run in parallel without colliding.
export default defineConfig({
  test: {
    include: [
      'services/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'simulator/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'data/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
