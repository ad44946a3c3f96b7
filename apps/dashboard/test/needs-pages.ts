// Which test files start a dashboard (directly, through the test stack, or through the whole
// platform), and so need the built pages. The global setup builds the pages once before a run
// that includes one of them; a run of other files (a dispatch test, say) skips the 60-90 s build.
// A file that is missed here still works, only slower: every dashboard builds what is missing
// itself, under the same lock (`server/next-build.ts`). `test/dashboard-pages-build.test.ts` checks this list
// against the test files' sources.

/** repository-relative, '/'-separated folders whose test files start a dashboard */
export const PAGE_TEST_DIRS = ['apps/dashboard/test/', 'test/smoke/', 'services/platform/test/'] as const;

/** true when the run includes a file under one of PAGE_TEST_DIRS (`files` are absolute paths) */
export function runNeedsPages(root: string, files: readonly string[]): boolean {
  const prefix = root.replace(/\\/g, '/').replace(/\/?$/, '/');
  return files.some((f) => {
    const rel = f.replace(/\\/g, '/').startsWith(prefix) ? f.replace(/\\/g, '/').slice(prefix.length) : f;
    return PAGE_TEST_DIRS.some((dir) => rel.startsWith(dir));
  });
}
