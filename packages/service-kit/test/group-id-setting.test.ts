import { describe, expect, it } from 'vitest';
import { groupIdSetting } from '../src/index.js';

// A service's group named like a job's would be deleted by the sweep (sweepStaleGroups) whenever the
// service is down, with its committed offsets: the setting refuses such names when the service starts.
describe('consumer-group settings', () => {
  it('takes the default and ordinary names', () => {
    expect(groupIdSetting('dispatch').parse(undefined)).toBe('dispatch');
    expect(groupIdSetting('dispatch').parse('dispatch-eu')).toBe('dispatch-eu');
  });

  it('refuses a name with a short-lived or follower prefix, naming why', () => {
    for (const id of ['replay-x', 'dashboard-warm-test', 'lab.run', 'follower-1']) {
      const r = groupIdSetting('dispatch').safeParse(id);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toContain(`'${id}' starts with a prefix kept for short-lived groups`);
    }
  });
});
