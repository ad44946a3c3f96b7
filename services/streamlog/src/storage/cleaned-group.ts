// Which adjacent cleaned segments become one: as Kafka's LogCleaner groups segments, a group grows
// while its cleaned bytes stay within segment.bytes and its offsets within the index's int32
// relative offsets. Without it, every pass left each sealed segment as small as cleaning made it
// (often one record), so a compacted topic's segment files only ever grew.
import type { CleanResult } from './log-cleaner.js';
import type { Segment } from './segment.js';

/** relative offsets in the index are int32 */
const MAX_RELATIVE_OFFSET = 0x7fffffff;

export interface CleanedMember {
  segment: Segment;
  result: CleanResult;
  /** the segment file's modification time before cleaning (its age for delete.retention.ms) */
  mtimeMs: number;
}

export class CleanedGroup {
  readonly members: CleanedMember[] = [];
  private bytes = 0;

  /** whether `member` can join: the group's bytes stay within `segmentBytes`, its offsets within int32 of the first */
  fits(member: CleanedMember, segmentBytes: number): boolean {
    if (this.members.length === 0) return true;
    const base = this.members[0].segment.baseOffset;
    return this.bytes + member.result.data.length <= segmentBytes && member.segment.nextOffset - 1 - base <= MAX_RELATIVE_OFFSET;
  }

  add(member: CleanedMember): void {
    this.members.push(member);
    this.bytes += member.result.data.length;
  }
}
