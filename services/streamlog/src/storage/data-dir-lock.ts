import fs from 'node:fs';
import path from 'node:path';
import { StorageError } from './contract.js';

const LOCK_FILE = '.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Refuses a data directory that another live process has open (two writers would interleave
 * segment writes). A lock left by a killed process, or by this process, is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  let holder = NaN;
  try {
    holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
  } catch {
    // no lock yet
  }
  if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
    throw new StorageError('KAFKA_STORAGE_ERROR', `data directory ${dataDir} is in use by process ${holder} (remove ${file} if that is wrong)`);
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  return () => fs.rmSync(file, { force: true });
}
