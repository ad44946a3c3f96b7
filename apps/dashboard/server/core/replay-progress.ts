// Whether a replay has caught up, partition by partition. A replay has caught up when EVERY
// partition of its topic has been read to the log end that partition had when it was last looked
// at: the end at the start for a partition the replay has not fetched from yet (one with nothing
// after the replay's start time is there already), else the high watermark its latest fetch
// answered with. One partition reaching its end says nothing about the others (a fetch answers
// for each partition separately, and a busy partition can be far behind a quiet one).
//
// Once every partition has reached its end the replay is caught up for good: it keeps following
// the topic, and the page says "yes — still following" rather than flickering with each append.

interface PartitionProgress { next: bigint; end: bigint; reached: boolean }

export class ReplayProgress {
  private readonly partitions = new Map<number, PartitionProgress>();
  private done = false;

  /** `starts`: where the replay begins on each partition; `ends`: each partition's log end then */
  constructor(starts: { partition: number; offset: string }[], ends: { partition: number; offset: string }[]) {
    for (const e of ends) {
      const start = starts.find((s) => s.partition === e.partition);
      const next = BigInt(start?.offset ?? '0');
      const end = BigInt(e.offset);
      this.partitions.set(e.partition, { next, end, reached: next >= end });
    }
    this.settle();
  }

  /** one fetched batch: `lastOffset` is the last offset it held, `highWatermark` the partition's end as the fetch saw it */
  read(partition: number, lastOffset: string, highWatermark: string): void {
    const p = this.partitions.get(partition) ?? { next: 0n, end: 0n, reached: false };
    const next = BigInt(lastOffset) + 1n;
    if (next > p.next) p.next = next;
    p.end = BigInt(highWatermark);
    if (p.next >= p.end) p.reached = true;
    this.partitions.set(partition, p);
    this.settle();
  }

  private settle(): void {
    if (!this.done && this.partitions.size > 0 && [...this.partitions.values()].every((p) => p.reached)) this.done = true;
  }

  get caughtUp(): boolean {
    return this.done;
  }

  /** how many partitions the topic has, and how many of them have been read to their end */
  get counts(): { partitions: number; atEnd: number } {
    const all = [...this.partitions.values()];
    return { partitions: all.length, atEnd: all.filter((p) => p.reached).length };
  }
}
