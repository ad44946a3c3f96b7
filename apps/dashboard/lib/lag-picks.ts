import type { LogPageSnapshot } from '@riderflow/contracts';

/**
 * The groups with the most lag now (the default lines of the lag charts), short-lived jobs included.
 * A group that has committed no offset has no lag figure (the table says so), so it is not drawn as 0.
 */
export function topLaggingGroups(log: LogPageSnapshot | null, n = 5): string[] {
  return (log?.groups ?? []).filter((g) => g.partitions.length > 0).sort((a, b) => b.lag - a.lag || b.lagSeconds - a.lagSeconds || a.groupId.localeCompare(b.groupId)).slice(0, n).map((g) => g.groupId);
}
