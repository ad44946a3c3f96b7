import type { Admin, Kafka } from 'kafkajs';

// Consumer groups the platform creates for a finite job (a training replay, a walkthrough or demo
// reader, a walkthrough clock, a dashboard replay or browse window, a dashboard's read-back at its
// start, a policy-lab run's reader). Each is deleted when its job
// ends; one left behind by a crash is removed at the next start. Every such group starts with one
// of these prefixes, so the log page can mark them and the sweep never touches a service's group.

export const SHORT_LIVED_GROUP_PREFIXES = ['rostering-replay-', 'walkthrough-', 'replay-', 'dashboard-browser-', 'dashboard-warm-', 'lab.'] as const;

// A follower is a service's own reader that lives as long as the service (rostering's follower of
// rostering.models): not a job, so never marked as one. It commits nothing and takes a new id at
// every start, so it is deleted when the service stops and swept like a job's group when a crash
// left it behind — otherwise every restart would leave one more group.
export const FOLLOWER_GROUP_PREFIXES = ['follower-'] as const;

/** job: made for a finite job; follower: a service's fresh-per-start reader; service: everything else (never swept) */
export type GroupKind = 'job' | 'follower' | 'service';

export function isShortLivedGroup(groupId: string): boolean {
  return SHORT_LIVED_GROUP_PREFIXES.some((p) => groupId.startsWith(p));
}

export function isFollowerGroup(groupId: string): boolean {
  return FOLLOWER_GROUP_PREFIXES.some((p) => groupId.startsWith(p));
}

export function groupKind(groupId: string): GroupKind {
  return isShortLivedGroup(groupId) ? 'job' : isFollowerGroup(groupId) ? 'follower' : 'service';
}

/** Deletes groups through the admin API; a group that is already gone counts as deleted. */
export async function deleteGroups(admin: Admin, groupIds: string[]): Promise<{ deleted: string[]; failed: { groupId: string; error: string }[] }> {
  if (groupIds.length === 0) return { deleted: [], failed: [] };
  const deleted: string[] = [];
  const failed: { groupId: string; error: string }[] = [];
  try {
    const results = await admin.deleteGroups(groupIds);
    for (const r of results) {
      if (!r.error || r.errorCode === 69 /* GROUP_ID_NOT_FOUND */) deleted.push(r.groupId);
      else failed.push({ groupId: r.groupId, error: r.error.message });
    }
  } catch (err) {
    // kafkajs throws one error for the whole call, carrying the per-group results it got
    const e = err as Error & { groups?: { groupId: string; errorCode: number; error?: Error }[] };
    if (!e.groups) return { deleted, failed: groupIds.map((groupId) => ({ groupId, error: e.message })) };
    for (const g of e.groups) {
      if (g.errorCode === 0 || g.errorCode === 69) deleted.push(g.groupId);
      else failed.push({ groupId: g.groupId, error: g.error?.message ?? `error code ${g.errorCode}` });
    }
  }
  return { deleted, failed };
}

/** Deletes one finished job's group with a short-lived admin client; never throws (returns the reason instead). */
export async function deleteFinishedGroup(kafka: Kafka, groupId: string): Promise<string | null> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const r = await deleteGroups(admin, [groupId]);
    return r.failed[0]?.error ?? null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Removes job and follower groups a crash left behind: only those with no member (state Empty or Dead). */
export async function sweepStaleGroups(admin: Admin): Promise<{ deleted: string[]; failed: { groupId: string; error: string }[] }> {
  const { groups } = await admin.listGroups();
  const candidates = groups.map((g) => g.groupId).filter((id) => groupKind(id) !== 'service');
  if (candidates.length === 0) return { deleted: [], failed: [] };
  const described = (await admin.describeGroups(candidates)).groups;
  const idle = described.filter((g) => g.members.length === 0 && (g.state === 'Empty' || g.state === 'Dead')).map((g) => g.groupId);
  return deleteGroups(admin, idle);
}
