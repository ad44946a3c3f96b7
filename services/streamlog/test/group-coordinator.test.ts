import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogEngine, type LogEngine } from '../src/storage/index.js';
import { GroupCoordinator, type JoinRequest } from '../src/group/coordinator.js';
import { ErrorCode } from '../src/protocol/error-codes.js';
import { tempDir, waitFor } from './helpers/broker.js';

const join = (groupId: string, memberId: string, extra: Partial<JoinRequest> = {}): JoinRequest => ({
  groupId,
  memberId,
  groupInstanceId: null,
  sessionTimeoutMs: 300,
  rebalanceTimeoutMs: 300,
  protocolType: 'consumer',
  protocols: [{ name: 'rr', metadata: Buffer.from([1]) }],
  clientId: 'c',
  clientHost: '/127.0.0.1',
  requireKnownMemberId: true,
  ...extra,
});

describe('GroupCoordinator', () => {
  let engine: LogEngine;
  let dir: string;
  let coordinator: GroupCoordinator;
  beforeAll(async () => {
    dir = tempDir();
    engine = await openLogEngine({ dataDir: dir });
    coordinator = new GroupCoordinator({ offsets: engine.offsets });
  });
  afterAll(async () => {
    coordinator.close();
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** MEMBER_ID_REQUIRED handshake, then the real join */
  async function joinMember(groupId: string) {
    const first = await coordinator.join(join(groupId, ''));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).not.toBe('');
    return first.memberId;
  }

  it('walks a group through Empty → CompletingRebalance → Stable and back to Empty', async () => {
    const id = await joinMember('g1');
    expect(coordinator.state('g1')).toBe('Empty');
    const joined = await coordinator.join(join('g1', id));
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leader: id, memberId: id, protocolName: 'rr' });
    expect(joined.members.map((m) => m.memberId)).toEqual([id]);
    expect(coordinator.state('g1')).toBe('CompletingRebalance');
    // heartbeats with the wrong generation are refused; unknown members too
    expect(coordinator.heartbeat('g1', 0, id)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.heartbeat('g1', 1, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const synced = await coordinator.sync('g1', 1, id, [{ memberId: id, assignment: Buffer.from('p0') }]);
    expect(synced).toEqual({ errorCode: 0, assignment: Buffer.from('p0') });
    expect(coordinator.state('g1')).toBe('Stable');
    expect(coordinator.heartbeat('g1', 1, id)).toBe(ErrorCode.NONE);
    expect(coordinator.leave('g1', [id, 'ghost'])).toEqual([
      { memberId: id, errorCode: 0 },
      { memberId: 'ghost', errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
    ]);
    expect(coordinator.state('g1')).toBe('Empty');
  });

  it('rebalances when a second member joins; the first learns it from its heartbeat', async () => {
    const a = await joinMember('g2');
    await coordinator.join(join('g2', a));
    await coordinator.sync('g2', 1, a, [{ memberId: a, assignment: Buffer.from('all') }]);
    const b = await joinMember('g2');
    const bJoin = coordinator.join(join('g2', b)); // parks until a rejoins
    expect(coordinator.state('g2')).toBe('PreparingRebalance');
    expect(coordinator.heartbeat('g2', 1, a)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const [aJoin, bJoined] = await Promise.all([coordinator.join(join('g2', a)), bJoin]);
    expect(aJoin.generationId).toBe(2);
    expect(bJoined.generationId).toBe(2);
    expect(aJoin.leader).toBe(a);
    expect(aJoin.members).toHaveLength(2);
    expect(bJoined.members).toHaveLength(0);
    const bSync = coordinator.sync('g2', 2, b, []);
    const aSync = await coordinator.sync('g2', 2, a, [
      { memberId: a, assignment: Buffer.from('A') },
      { memberId: b, assignment: Buffer.from('B') },
    ]);
    expect(aSync.assignment.toString()).toBe('A');
    expect((await bSync).assignment.toString()).toBe('B');
  });

  it('evicts a member whose session times out and rebalances without it', async () => {
    const a = await joinMember('g3');
    const b = await joinMember('g3');
    const [ja] = await Promise.all([coordinator.join(join('g3', a)), coordinator.join(join('g3', b))]);
    await Promise.all([coordinator.sync('g3', ja.generationId, a, []), coordinator.sync('g3', ja.generationId, b, [])]);
    expect(coordinator.describe('g3').members).toHaveLength(2);
    // only a keeps heartbeating; b's 300 ms session expires, a rebalance starts, a rejoins alone
    const beat = setInterval(() => coordinator.heartbeat('g3', coordinator.describe('g3').state === 'Stable' ? ja.generationId : -1, a), 50);
    try {
      await waitFor(() => coordinator.state('g3') === 'PreparingRebalance', 5_000, 'rebalance after session timeout');
      const rejoined = await coordinator.join(join('g3', a));
      expect(rejoined.members.map((m) => m.memberId)).toEqual([a]);
      expect(rejoined.generationId).toBe(ja.generationId + 1);
    } finally {
      clearInterval(beat);
    }
  });

  it('keeps the protocol type of a group its last member left; a group made by standalone commits has none (as Kafka)', async () => {
    const id = await joinMember('pt1');
    const joined = await coordinator.join(join('pt1', id));
    await coordinator.sync('pt1', joined.generationId, id, [{ memberId: id, assignment: Buffer.alloc(0) }]);
    expect(await coordinator.commit('pt1', joined.generationId, id, [{ topic: 't', partition: 0, offset: 1n, metadata: null }])).toBe(ErrorCode.NONE);
    coordinator.leave('pt1', [id]);
    expect(coordinator.describe('pt1')).toMatchObject({ state: 'Empty', protocolType: 'consumer', protocolName: '', members: [] });
    // a standalone commit (generation -1, no member: an admin tool or a simple consumer) to an unknown group
    expect(await coordinator.commit('pt2', -1, '', [{ topic: 't', partition: 0, offset: 5n, metadata: null }])).toBe(ErrorCode.NONE);
    expect(coordinator.describe('pt2')).toMatchObject({ state: 'Empty', protocolType: '', members: [] });
    // …and to the emptied consumer group, which stays a consumer group
    expect(await coordinator.commit('pt1', -1, '', [{ topic: 't', partition: 0, offset: 0n, metadata: null }])).toBe(ErrorCode.NONE);
    const listed = new Map(coordinator.list().map((g) => [g.groupId, g.protocolType]));
    expect([listed.get('pt1'), listed.get('pt2')]).toEqual(['consumer', '']);
    // a group later joined takes the type its first member brings
    const m = await joinMember('pt2');
    await coordinator.join(join('pt2', m));
    expect(coordinator.describe('pt2').protocolType).toBe('consumer');
    coordinator.leave('pt2', [m]);
  });

  it('validates commits against the generation and stores them in the offset store', async () => {
    expect(await coordinator.commit('g4', -1, '', [{ topic: 't', partition: 0, offset: 42n, metadata: 'm' }])).toBe(ErrorCode.NONE);
    expect(engine.offsets.fetch('g4', 't', 0)).toMatchObject({ offset: 42n, metadata: 'm' });
    const a = await joinMember('g4');
    const j = await coordinator.join(join('g4', a));
    expect(await coordinator.commit('g4', j.generationId, a, [])).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await coordinator.sync('g4', j.generationId, a, []);
    expect(await coordinator.commit('g4', j.generationId + 5, a, [])).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await coordinator.commit('g4', j.generationId, 'intruder', [])).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await coordinator.commit('g4', j.generationId, a, [{ topic: 't', partition: 0, offset: 43n, metadata: null }])).toBe(ErrorCode.NONE);
    expect(engine.offsets.fetch('g4', 't', 0)?.offset).toBe(43n);
  });
});
