import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

const FILE = 'producer-id-block';
/** ids are handed out from blocks whose end is persisted first, so no id is ever given out twice */
const BLOCK = 1000n;

export class ProducerIds {
  private next: bigint;
  private blockEnd: bigint;

  constructor(private readonly dataDir: string) {
    let persisted = 0n;
    try {
      persisted = BigInt(fs.readFileSync(path.join(dataDir, FILE), 'utf8').trim());
    } catch {
      // first start (or unreadable file: start after the clock's ids to stay unique)
      if (fs.existsSync(path.join(dataDir, FILE))) persisted = BigInt(Date.now()) * 1000n;
    }
    this.next = persisted;
    this.blockEnd = persisted;
  }

  allocate(): bigint {
    if (this.next >= this.blockEnd) {
      this.blockEnd = this.next + BLOCK;
      writeFileAtomic(path.join(this.dataDir, FILE), `${this.blockEnd}\n`);
    }
    return this.next++;
  }
}
