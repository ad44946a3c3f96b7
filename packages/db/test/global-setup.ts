// Vitest globalSetup: generates the Prisma clients (an ignored build product) once before any
// test file imports them. Add to the root vitest config: globalSetup: ['packages/db/test/global-setup.ts'].
import { ensureGenerated } from '../src/generate.js';

export default async function setup(): Promise<void> {
  await ensureGenerated();
}
