import { groupKind } from './short-lived-groups.js';

// Which consumer groups on the log are the platform's own. A service's group is named by a setting
// with a default (DISPATCH_GROUP, …); every other group without a job's or a follower's prefix was
// made by someone else: kcat, a script, a Kafka tool. The log page used to call all of those
// "service" groups, so `kcat -G mygroup` showed up as one of Riderflow's services.

/** Each service's group: its default name and the setting that renames it (null: fixed). */
export const PLATFORM_SERVICE_GROUPS: readonly { id: string; setting: string | null }[] = [
  { id: 'dispatch', setting: 'DISPATCH_GROUP' },
  { id: 'rostering', setting: 'ROSTERING_GROUP' },
  { id: 'projector', setting: 'PROJECTOR_GROUP_ID' },
  { id: 'notifier-planner', setting: null },
  { id: 'dashboard', setting: 'DASHBOARD_GROUP' },
];

/** The names the platform's services read under, with the settings as `env` has them (npm start passes one env to all). */
export function platformServiceGroups(env: Record<string, string | undefined>): ReadonlySet<string> {
  return new Set(PLATFORM_SERVICE_GROUPS.map((g) => (g.setting && env[g.setting]) || g.id));
}

/** What the log page calls a group: a platform job's, a service's follower, a service's own, or a foreign one. */
export type GroupOwner = 'job' | 'follower' | 'service' | 'foreign';

export function groupOwner(groupId: string, serviceGroups: ReadonlySet<string>): GroupOwner {
  const kind = groupKind(groupId);
  return kind === 'service' && !serviceGroups.has(groupId) ? 'foreign' : kind;
}
