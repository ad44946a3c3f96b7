// Vitest globalSetup: build the dashboard pages once before the browser and smoke tests start
// dashboards of their own (they would otherwise race to build into the same folder).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../server/next-build.js';

export default async function setup(): Promise<void> {
  await ensureBuilt(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
