import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Refreshes test/file-durations.json, the order the longest-first sequencer starts files in on a
// fresh clone, from the JSON report of a full `vitest run` (test-results/vitest.json by default):
//   npx vitest run && npm run -s test:durations [report.json]
// Files under MIN_MS are left out: a short file's place in the order hardly moves the run's end.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIN_MS = 3_000;

interface Report { startTime: number; testResults: { name: string; startTime: number; endTime: number; status: string }[] }

const reportPath = path.resolve(process.argv[2] ?? path.join(root, 'test-results/vitest.json'));
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
const files: Record<string, number> = {};
for (const r of [...report.testResults].sort((a, b) => (b.endTime - b.startTime) - (a.endTime - a.startTime))) {
  const ms = Math.round(r.endTime - r.startTime);
  if (ms >= MIN_MS) files[path.relative(root, r.name).split(path.sep).join('/')] = ms;
}
const out = path.join(root, 'test/file-durations.json');
writeFileSync(out, JSON.stringify({ measured: new Date(report.startTime).toISOString(), note: 'per-file wall time (ms) of a full vitest run; refresh with npm run -s test:durations', files }, null, 2) + '\n');
console.log(`${Object.keys(files).length} files of ${report.testResults.length} at or over ${MIN_MS} ms written to ${path.relative(root, out)}`);
