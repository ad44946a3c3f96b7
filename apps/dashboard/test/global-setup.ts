// Vitest globalSetup: build the dashboard pages once before the browser and smoke tests start
// dashboards of their own (each would otherwise wait on the build lock in its own start hook),
// and only when the run includes such a test (see needs-pages.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { ensureBuilt } from '../server/next-build.js';
import { runNeedsPages } from './needs-pages.js';

export default async function setup(project: TestProject): Promise<void> {
  // The run's files are known before the global setup runs (Vitest records them first).
  const files = project.vitest.state.getPaths();
  if (files.length > 0 && !runNeedsPages(project.vitest.config.root, files)) return;
  await ensureBuilt(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
