import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import type { CommittedOffset, OffsetStore } from './contract.js';
import { OFFSETS_FILE } from './file-names.js';
import { GroupCommit } from './group-commit.js';

/** One line of the offsets journal: a commit, or the deletion of a whole group. */
type JournalLine =
  | { g: string; t: string; p: number; o: string; m: string | null; ts: string }
  | { deleteGroup: string }
  | { deleteOffset: string; t: string; p: number };

interface Entry {
  topic: string;
  partition: number;
  committed: CommittedOffset;
}

/**
 * Committed group offsets: an append-only JSON-lines journal, fdatasync'd (group commit) before a
 * commit resolves, compacted to one line per (group, topic, partition) each time it is opened.
 */
export class JournalOffsetStore implements OffsetStore {
  private readonly byGroup = new Map<string, Map<string, Entry>>();
  private fd: number;
  private readonly syncer: GroupCommit;
  private closed = false;

  private constructor(private readonly file: string) {
    this.fd = -1;
    this.syncer = new GroupCommit(() => this.fd);
  }

  static open(dataDir: string): JournalOffsetStore {
    const store = new JournalOffsetStore(path.join(dataDir, OFFSETS_FILE));
    store.load();
    store.compact();
    store.fd = fs.openSync(store.file, 'a');
    return store;
  }

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      let parsed: JournalLine;
      try {
        parsed = JSON.parse(line) as JournalLine;
      } catch {
        continue; // a torn last line after a crash: its commit was never acknowledged
      }
      if ('deleteGroup' in parsed) this.byGroup.delete(parsed.deleteGroup);
      else if ('deleteOffset' in parsed) this.drop(parsed.deleteOffset, parsed.t, parsed.p);
      else if (typeof parsed.g === 'string' && typeof parsed.t === 'string' && Number.isInteger(parsed.p)) {
        this.put(parsed.g, parsed.t, parsed.p, { offset: BigInt(parsed.o), metadata: parsed.m ?? null, commitTimestamp: BigInt(parsed.ts) });
      }
    }
  }

  private compact(): void {
    const lines: string[] = [];
    for (const [group, entries] of this.byGroup) for (const e of entries.values()) lines.push(lineFor(group, e));
    writeFileAtomic(this.file, lines.length ? lines.join('\n') + '\n' : '');
  }

  private put(group: string, topic: string, partition: number, committed: CommittedOffset): void {
    let entries = this.byGroup.get(group);
    if (!entries) {
      entries = new Map();
      this.byGroup.set(group, entries);
    }
    entries.set(`${topic}\u0000${partition}`, { topic, partition, committed });
  }

  private drop(group: string, topic: string, partition: number): boolean {
    const entries = this.byGroup.get(group);
    if (!entries?.delete(`${topic}\u0000${partition}`)) return false;
    // a group with no offsets left is gone, as after DeleteGroups
    if (entries.size === 0) this.byGroup.delete(group);
    return true;
  }

  async commit(group: string, entries: { topic: string; partition: number; offset: bigint; metadata: string | null }[]): Promise<void> {
    if (this.closed) throw new Error('offset store is closed');
    if (entries.length === 0) return;
    const now = BigInt(Date.now());
    const lines: string[] = [];
    for (const e of entries) {
      const committed = { offset: e.offset, metadata: e.metadata, commitTimestamp: now };
      this.put(group, e.topic, e.partition, committed);
      lines.push(lineFor(group, { topic: e.topic, partition: e.partition, committed }));
    }
    fs.writeSync(this.fd, lines.join('\n') + '\n');
    this.syncer.noteWrite();
    await this.syncer.sync();
  }

  fetch(group: string, topic: string, partition: number): CommittedOffset | null {
    return this.byGroup.get(group)?.get(`${topic}\u0000${partition}`)?.committed ?? null;
  }

  list(group: string): { topic: string; partition: number; committed: CommittedOffset }[] {
    return [...(this.byGroup.get(group)?.values() ?? [])].map((e) => ({ ...e }));
  }

  groups(): string[] {
    return [...this.byGroup.keys()];
  }

  async deleteGroup(group: string): Promise<void> {
    if (this.closed) throw new Error('offset store is closed');
    if (!this.byGroup.delete(group)) return;
    fs.writeSync(this.fd, JSON.stringify({ deleteGroup: group }) + '\n');
    this.syncer.noteWrite();
    await this.syncer.sync();
  }

  async deleteOffsets(group: string, partitions: { topic: string; partition: number }[]): Promise<void> {
    if (this.closed) throw new Error('offset store is closed');
    const lines: string[] = [];
    for (const { topic, partition } of partitions) {
      if (this.drop(group, topic, partition)) lines.push(JSON.stringify({ deleteOffset: group, t: topic, p: partition } satisfies JournalLine));
    }
    if (lines.length === 0) return;
    fs.writeSync(this.fd, lines.join('\n') + '\n');
    this.syncer.noteWrite();
    await this.syncer.sync();
  }

  /** drop every committed offset of a deleted topic (as Kafka does) */
  async forgetTopic(topic: string): Promise<void> {
    for (const [group, entries] of this.byGroup) {
      const kept = [...entries.values()].filter((e) => e.topic !== topic);
      if (kept.length === entries.size) continue;
      await this.deleteGroup(group);
      if (kept.length > 0) await this.commitEntries(group, kept);
    }
  }

  private async commitEntries(group: string, kept: Entry[]): Promise<void> {
    for (const e of kept) this.put(group, e.topic, e.partition, e.committed);
    fs.writeSync(this.fd, kept.map((e) => lineFor(group, e)).join('\n') + '\n');
    this.syncer.noteWrite();
    await this.syncer.sync();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.fdatasyncSync(this.fd);
    this.syncer.markAllSynced();
    fs.closeSync(this.fd);
  }
}

function lineFor(group: string, e: Entry): string {
  const line: JournalLine = {
    g: group,
    t: e.topic,
    p: e.partition,
    o: e.committed.offset.toString(),
    m: e.committed.metadata,
    ts: e.committed.commitTimestamp.toString(),
  };
  return JSON.stringify(line);
}
