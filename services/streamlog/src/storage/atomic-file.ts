import fs from 'node:fs';
import path from 'node:path';

/** fsync a directory so a create/rename/unlink inside it is durable */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Replace `file` with `data` so a crash leaves either the old or the new content, never a mix. */
export function writeFileAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/**
 * The same, without blocking the event loop: for state written while the broker serves requests
 * (the transaction coordinator's), where a synchronous fsync stalled every connection for its
 * duration. `durable` false skips the fsyncs (the broker's `durability: 'none'`): a SIGKILL still
 * leaves the old or the new content, only a machine crash may lose the newest.
 */
export async function writeFileAtomicAsync(file: string, data: Buffer | string, durable = true): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
  if (durable) {
    const dir = await fs.promises.open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
