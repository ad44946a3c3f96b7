import { z } from 'zod';
import { groupKind, SHORT_LIVED_GROUP_PREFIXES, FOLLOWER_GROUP_PREFIXES } from './short-lived-groups.js';

// A service's consumer-group setting (DISPATCH_GROUP, ROSTERING_GROUP, DASHBOARD_GROUP, …). A name
// with a job's or a follower's prefix would be taken for a finished job's leftover and deleted by
// the sweep at the next start whenever the service is down, losing its committed offsets: refuse
// it when the service starts, in words, rather than lose the offsets later.

export function groupIdSetting(defaultId: string) {
  return z
    .string()
    .min(1)
    .default(defaultId)
    .superRefine((id, ctx) => {
      if (groupKind(id) === 'service') return;
      const prefixes = [...SHORT_LIVED_GROUP_PREFIXES, ...FOLLOWER_GROUP_PREFIXES].join(', ');
      ctx.addIssue({ code: 'custom', message: `'${id}' starts with a prefix kept for short-lived groups (${prefixes}), which the platform deletes when they are idle; choose another name` });
    });
}
