import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PAGE_TEST_DIRS, runNeedsPages } from '../apps/dashboard/test/needs-pages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// What starts a dashboard: its server's entry point, the whole platform, or a helper that does.
const STARTS_A_DASHBOARD = /apps\/dashboard\/server\/main\.ts|services\/platform\/src\/main\.ts|\['start'\]|from '\.\/stack\.js'|from '\.\/harness\.js'/;

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : testFiles(rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

describe('which test runs build the dashboard pages first', () => {
  it('every test file that starts a dashboard lies under a folder the global setup knows', () => {
    const files = ['apps', 'services', 'packages', 'bench', 'test'].flatMap(testFiles);
    const starters = files.filter((f) => STARTS_A_DASHBOARD.test(readFileSync(path.join(root, f), 'utf8')));
    expect(starters.length).toBeGreaterThan(5);
    expect(starters.filter((f) => !PAGE_TEST_DIRS.some((d) => f.startsWith(d)))).toEqual([]);
  });

  it('a run of dispatch tests skips the build; a run with one browser test does it', () => {
    expect(runNeedsPages(root, [path.join(root, 'services/dispatch/test/certificate.test.ts')])).toBe(false);
    expect(runNeedsPages(root, [path.join(root, 'services/dispatch/test/certificate.test.ts'), path.join(root, 'apps/dashboard/test/live-page.test.ts')])).toBe(true);
    expect(runNeedsPages(`${root}/`, [path.join(root, 'test/smoke/platform.test.ts')])).toBe(true);
  });
});
