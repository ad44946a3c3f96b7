import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Starts the test files that take longest first, so the run does not end with one long file
// started late running alone while the other workers sit idle (longest processing time first:
// the classic greedy order, whose makespan is within 4/3 of the best possible order's).
//
// Vitest's own order needs its results cache (node_modules/.vite, written by an earlier run):
// a fresh clone, as CI runs it, has none, and Vitest then orders by file size, which put the
// 100-second lab seeds file 46th and the notifier's crash test 15th. So the durations measured
// in a full run are committed (file-durations.json, refreshed with `npm run test:durations`)
// and used where the cache is silent; where both know a file, the longer wins (a file that
// failed early on this machine must not be demoted). A file neither knows (a new one) is put
// at UNKNOWN_MS: after the long files, ahead of the many short ones.

const UNKNOWN_MS = 10_000;

/** file (relative to the repository root, '/'-separated) → measured duration in ms */
export function committedDurations(file: string): Map<string, number> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, number> };
  return new Map(Object.entries(parsed.files));
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const known = committedDurations(path.join(root, 'test/file-durations.json'));
    const estimate = (spec: TestSpecification): number => {
      // Vitest's cache key is the platform's relative path; the committed list uses '/'
      const rel = path.relative(root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${rel}`)?.duration;
      const committed = known.get(rel.split(path.sep).join('/'));
      if (cached === undefined && committed === undefined) return UNKNOWN_MS;
      return Math.max(cached ?? 0, committed ?? 0);
    };
    const size = (spec: TestSpecification) => this.ctx.cache.getFileStats(`${spec.project.name}:${path.relative(root, spec.moduleId)}`)?.size ?? 0;
    const keyed = files.map((spec) => ({ spec, ms: estimate(spec), bytes: size(spec) }));
    // ties (the unknown files) by size, larger first, as Vitest does; then by path, so the order is stable
    keyed.sort((a, b) => b.ms - a.ms || b.bytes - a.bytes || (a.spec.moduleId < b.spec.moduleId ? -1 : a.spec.moduleId > b.spec.moduleId ? 1 : 0));
    return keyed.map((k) => k.spec);
  }
}
