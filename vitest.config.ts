import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/longest-first-sequencer.js';

// One runner for every workspace. Tests that need a broker start their own on an
// ephemeral port, so files can run in parallel without colliding.
export default defineConfig({
  test: {
    // The repository, wherever vitest is started from (a workspace folder included): the include
    // globs, the global setup files and the sequencer's durations file are relative to it.
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: [
      'packages/*/test/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'bench/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'data/**'],
    // Builds the Prisma clients once (they are generated, never committed) before any test imports them.
    // The dashboard pages likewise, built once before the tests that start dashboards.
    globalSetup: ['packages/db/test/global-setup.ts', 'apps/dashboard/test/global-setup.ts'],
    // the longest files first (durations measured in a full run, committed in test/file-durations.json):
    // a fresh clone has no results cache, and Vitest's size order started 100-second files late
    sequence: { sequencer: LongestFirstSequencer },
    pool: 'forks',
    // 3 on 2 cores: most files wait on brokers, browsers and simulated clocks, not on a core
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
