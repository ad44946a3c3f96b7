// The cleaner's crash-safe replacement of one or more adjacent sealed segments by one cleaned file
// (Kafka's LogCleaner swap: `.cleaned` → `.swap` → `.log`). A group of segments cannot be replaced
// by one rename, so a complete, fsynced `.swap` file is the commit point: before it exists a crash
// leaves the originals (the `.cleaned` file is deleted on open); once it exists, open finishes the
// swap from the file alone.
import fs from 'node:fs';
import { BATCH_HEADER_SIZE, BATCH_LOG_OVERHEAD, BATCH_OFFSET_LAST_OFFSET_DELTA, BATCH_OFFSET_LENGTH, readInt64AsNumber } from '../records/index.js';
import { fsyncDir } from './atomic-file.js';
import { LOG_SUFFIX, OFFSET_INDEX_SUFFIX, TIME_INDEX_SUFFIX, parseSegmentBaseOffsets, segmentPath } from './file-names.js';

/** a cleaned file being written (deleted on open: the originals are still complete) */
export const CLEANED_SUFFIX = '.log.cleaned';
/** a complete cleaned file that replaces the segment of its base offset and every later one it covers */
export const SWAP_SUFFIX = '.log.swap';

/**
 * Step 1, the commit point: write `parts` (whole batches, ascending offsets) as `<base>.log.cleaned`,
 * fsync it, give it `mtimeMs` (the segment keeps its age: delete.retention.ms and retention count
 * from its original writes), and rename it to `<base>.log.swap`. Until the rename a crash leaves the
 * originals; a failure before it removes the partial file and rethrows.
 */
export function writeSwapFile(dir: string, base: number, parts: readonly Buffer[], mtimeMs: number): void {
  const cleaned = segmentPath(dir, base, CLEANED_SUFFIX);
  try {
    const fd = fs.openSync(cleaned, 'w');
    try {
      let position = 0;
      for (const part of parts) {
        for (let written = 0; written < part.length; ) written += fs.writeSync(fd, part, written, part.length - written, position + written);
        position += part.length;
      }
      fs.fsyncSync(fd);
      fs.futimesSync(fd, mtimeMs / 1000, mtimeMs / 1000);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(cleaned, segmentPath(dir, base, SWAP_SUFFIX));
    fsyncDir(dir);
  } catch (err) {
    fs.rmSync(cleaned, { force: true });
    throw err;
  }
}

/**
 * Step 2, after the commit point (also what open does with a `.swap` it finds): delete the indexes
 * of `base` and the files of the segments `covered` (the group's later members), then rename the
 * swap file over `<base>.log`. Every step may be repeated, so a crash anywhere in here is finished
 * by the next open. The caller has closed the segments' descriptors.
 */
export function completeSwap(dir: string, base: number, covered: readonly number[]): void {
  // indexes first: an index must never describe the other file, and a .log without its indexes is rescanned
  for (const b of [base, ...covered]) {
    fs.rmSync(segmentPath(dir, b, OFFSET_INDEX_SUFFIX), { force: true });
    fs.rmSync(segmentPath(dir, b, TIME_INDEX_SUFFIX), { force: true });
  }
  for (const b of covered) fs.rmSync(segmentPath(dir, b, LOG_SUFFIX), { force: true });
  fsyncDir(dir);
  fs.renameSync(segmentPath(dir, base, SWAP_SUFFIX), segmentPath(dir, base, LOG_SUFFIX));
  fsyncDir(dir);
}

/**
 * On open: finish every swap a crash interrupted. A swap file covers the offsets from its base to
 * its last batch's last offset, so the segments it replaces are those whose base lies after its
 * own and at or below that offset. A group member above it contributed no record to the cleaned
 * file (its records were all superseded or removed); if it survived the crash it stays whole, which
 * loses nothing and duplicates no offset, and the next pass cleans it. Answers whether it found one.
 */
export function recoverSwaps(dir: string, files: readonly string[]): boolean {
  const bases = parseSegmentBaseOffsets([...files]);
  let found = false;
  for (const f of files) {
    const m = /^(\d{20})\.log\.swap$/.exec(f);
    if (!m) continue;
    const base = Number(m[1]);
    const last = lastOffsetIn(segmentPath(dir, base, SWAP_SUFFIX));
    completeSwap(dir, base, bases.filter((b) => b > base && b <= last));
    found = true;
  }
  return found;
}

/** the last offset of the last whole batch of a log file (-1 when it holds none) */
function lastOffsetIn(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const header = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    let last = -1;
    for (let pos = 0; pos + BATCH_HEADER_SIZE <= size; ) {
      if (fs.readSync(fd, header, 0, BATCH_HEADER_SIZE, pos) < BATCH_HEADER_SIZE) break;
      const next = pos + BATCH_LOG_OVERHEAD + header.readInt32BE(BATCH_OFFSET_LENGTH);
      if (next > size || next <= pos) break;
      last = readInt64AsNumber(header, 0) + header.readInt32BE(BATCH_OFFSET_LAST_OFFSET_DELTA);
      pos = next;
    }
    return last;
  } finally {
    fs.closeSync(fd);
  }
}
