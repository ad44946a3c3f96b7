import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a set of files into outDir so that nothing is ever partly written: all files go to a
 * fresh temp dir beside outDir first; a new outDir is then renamed into place in one step, and
 * into an existing outDir each file is renamed over its old version (each rename is atomic).
 */
export function writeFilesAtomically(outDir: string, files: Record<string, string>): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(tmp, name), text);
    let exists = false;
    try {
      exists = statSync(target).isDirectory();
    } catch {
      exists = false;
    }
    if (!exists) {
      renameSync(tmp, target);
      return;
    }
    for (const name of Object.keys(files)) renameSync(path.join(tmp, name), path.join(target, name));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
