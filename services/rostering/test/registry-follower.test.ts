import { describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { groupKind, isShortLivedGroup } from '@riderflow/service-kit';
import { RegistryFollower } from '../src/adapters/registry-follower.js';

// The follower of rostering.models lives as long as the service: the log page must not call it a
// short-lived job, yet its per-start group must still be swept when a crash leaves it behind.

describe('registry follower group', () => {
  it('is a "follower" group, not a job, and a new one each start', () => {
    const make = () => new RegistryFollower({} as Kafka, pino({ level: 'silent' }), async () => {});
    const a = make().groupId;
    const b = make().groupId;
    expect(a).toMatch(/^follower-rostering-models-[0-9a-f-]{36}$/);
    expect(b).not.toBe(a);
    expect(isShortLivedGroup(a)).toBe(false);
    expect(groupKind(a)).toBe('follower');
  });
});
