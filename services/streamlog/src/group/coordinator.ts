import { randomUUID } from 'node:crypto';
import type { OffsetStore } from '../storage/contract.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Group, Member, type JoinOutcome, type MemberProtocol, type SyncOutcome } from './group.js';
import type { GroupState } from './group-state.js';

export interface CoordinatorOptions {
  offsets: OffsetStore;
  /** Kafka's group.min/max.session.timeout.ms; the minimum is low so tests can use short sessions */
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  /** Kafka's group.initial.rebalance.delay.ms: a brand-new group waits this long for more members */
  initialRebalanceDelayMs?: number;
  /**
   * Kafka's offsets.retention.check.interval.ms (10 minutes): how often groups with no members and
   * no committed offsets are forgotten, as Kafka's group metadata cleanup does. Without it, the group
   * of every consumer that was killed (and never committed) stayed listed until the broker restarted.
   * 0 = never.
   */
  emptyGroupCheckMs?: number;
  onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+: an unknown member first receives its id with MEMBER_ID_REQUIRED */
  requireKnownMemberId: boolean;
}

export interface CommitEntry {
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string | null;
}

export interface GroupDescription {
  groupId: string;
  state: GroupState;
  protocolType: string;
  protocolName: string;
  members: { memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
}

const emptyJoin = (errorCode: number, memberId = ''): JoinOutcome => ({
  errorCode,
  generationId: -1,
  protocolName: '',
  leader: '',
  memberId,
  members: [],
});

/**
 * The group coordinator: Kafka's membership protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup)
 * as a state machine per group, Empty → PreparingRebalance → CompletingRebalance → Stable, with
 * session and rebalance timers. Committed offsets go to the engine's OffsetStore. No I/O besides that.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly offsets: OffsetStore;
  private readonly minSession: number;
  private readonly maxSession: number;
  private readonly initialDelay: number;
  private readonly emit: (event: string, fields: Record<string, unknown>) => void;
  private closed = false;
  private readonly emptyGroupTimer: NodeJS.Timeout | null;

  constructor(options: CoordinatorOptions) {
    this.offsets = options.offsets;
    this.minSession = options.minSessionTimeoutMs ?? 100;
    this.maxSession = options.maxSessionTimeoutMs ?? 30 * 60_000;
    this.initialDelay = options.initialRebalanceDelayMs ?? 0;
    this.emit = options.onEvent ?? (() => {});
    const every = options.emptyGroupCheckMs ?? 10 * 60_000;
    this.emptyGroupTimer = every > 0 ? setInterval(() => this.forgetEmptyGroups(), every) : null;
    this.emptyGroupTimer?.unref();
  }

  /** Forgets groups without members and without committed offsets (Kafka: Empty → Dead on cleanup); answers their ids. */
  forgetEmptyGroups(): string[] {
    const gone: string[] = [];
    for (const [groupId, group] of this.groups) {
      if (group.state !== 'Empty' || group.pendingMembers.size > 0 || this.offsets.list(groupId).length > 0) continue;
      group.state = 'Dead';
      this.groups.delete(groupId);
      gone.push(groupId);
      this.emit('group forgotten', { group: groupId, reason: 'no members and no committed offsets' });
    }
    return gone;
  }

  // ---------------------------------------------------------------- JoinGroup

  join(req: JoinRequest): Promise<JoinOutcome> | JoinOutcome {
    if (this.closed) return emptyJoin(ErrorCode.COORDINATOR_NOT_AVAILABLE, req.memberId);
    if (!req.groupId) return emptyJoin(ErrorCode.INVALID_GROUP_ID, req.memberId);
    if (req.sessionTimeoutMs < this.minSession || req.sessionTimeoutMs > this.maxSession) {
      return emptyJoin(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId);
    }
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.memberId !== '') return emptyJoin(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
      group = new Group(req.groupId);
      this.groups.set(req.groupId, group);
    }
    if (!group.supports(req.protocolType, req.protocols)) return emptyJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);

    if (req.memberId === '') {
      const memberId = `${req.clientId || 'member'}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        this.addPendingMember(group, memberId, req.sessionTimeoutMs);
        return emptyJoin(ErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
      return this.addMemberAndRebalance(group, memberId, req);
    }

    const pending = group.pendingMembers.get(req.memberId);
    if (pending) {
      clearTimeout(pending);
      group.pendingMembers.delete(req.memberId);
      return this.addMemberAndRebalance(group, req.memberId, req);
    }

    const member = group.members.get(req.memberId);
    if (!member) return emptyJoin(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);

    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMember(member, req);
        return this.awaitJoin(group, member);
      case 'CompletingRebalance':
        if (member.sameProtocols(req.protocols)) return this.currentJoinOutcome(group, member);
        this.updateMember(member, req);
        return this.awaitJoin(group, member, 'member protocols changed');
      case 'Stable':
        if (member.memberId !== group.leaderId && member.sameProtocols(req.protocols)) return this.currentJoinOutcome(group, member);
        this.updateMember(member, req);
        return this.awaitJoin(group, member, 'member rejoined');
      default:
        return emptyJoin(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
    }
  }

  private addPendingMember(group: Group, memberId: string, sessionTimeoutMs: number): void {
    const timer = setTimeout(() => {
      group.pendingMembers.delete(memberId);
      if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
    }, sessionTimeoutMs);
    timer.unref();
    group.pendingMembers.set(memberId, timer);
  }

  private addMemberAndRebalance(group: Group, memberId: string, req: JoinRequest): Promise<JoinOutcome> {
    const member = new Member(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.sessionTimeoutMs,
      req.rebalanceTimeoutMs,
      req.protocolType,
      req.protocols,
    );
    if (group.members.size === 0) group.protocolType = req.protocolType;
    group.members.set(memberId, member);
    if (group.leaderId === null) group.leaderId = memberId;
    this.emit('member joined', { group: group.groupId, memberId });
    return this.awaitJoin(group, member, `member ${memberId} joined`);
  }

  private updateMember(member: Member, req: JoinRequest): void {
    member.protocols = req.protocols;
    member.protocolType = req.protocolType;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.groupInstanceId = req.groupInstanceId;
  }

  /** park the member until the join phase completes; start a rebalance first when `rebalanceReason` is given */
  private awaitJoin(group: Group, member: Member, rebalanceReason?: string): Promise<JoinOutcome> {
    return new Promise<JoinOutcome>((resolve) => {
      // a duplicate JoinGroup from the same member replaces the older one, as in Kafka
      member.awaitingJoin?.(emptyJoin(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
      member.awaitingJoin = resolve;
      this.scheduleSession(group, member);
      if (rebalanceReason) this.prepareRebalance(group, rebalanceReason);
      else this.tryCompleteJoin(group);
    });
  }

  private currentJoinOutcome(group: Group, member: Member): JoinOutcome {
    this.scheduleSession(group, member);
    const protocolName = group.protocolName ?? '';
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: member.memberId === group.leaderId ? this.memberList(group, protocolName) : [],
    };
  }

  private memberList(group: Group, protocolName: string): JoinOutcome['members'] {
    return [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(protocolName),
    }));
  }

  private prepareRebalance(group: Group, reason: string): void {
    if (group.state === 'CompletingRebalance') this.failPendingSyncs(group, ErrorCode.REBALANCE_IN_PROGRESS);
    if (group.syncTimer) {
      clearTimeout(group.syncTimer);
      group.syncTimer = null;
    }
    if (group.state !== 'PreparingRebalance') {
      const fromEmpty = group.state === 'Empty';
      group.state = 'PreparingRebalance';
      this.emit('rebalance started', { group: group.groupId, reason, generationId: group.generationId });
      const delay = fromEmpty && this.initialDelay > 0 ? this.initialDelay : group.rebalanceTimeoutMs();
      group.joinTimer = setTimeout(() => this.completeJoin(group), delay);
      group.joinTimer.unref();
      if (fromEmpty && this.initialDelay > 0) return; // the initial delay always runs its full length
    }
    this.tryCompleteJoin(group);
  }

  private tryCompleteJoin(group: Group): void {
    if (group.state === 'PreparingRebalance' && group.allMembersJoined()) this.completeJoin(group);
  }

  /** end of the join phase (everyone rejoined, or the rebalance timeout passed) */
  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    if (group.joinTimer) {
      clearTimeout(group.joinTimer);
      group.joinTimer = null;
    }
    for (const m of [...group.members.values()]) {
      if (m.awaitingJoin === null) this.removeMember(group, m, 'did not rejoin within the rebalance timeout', false);
    }
    group.generationId++;
    if (group.members.size === 0) {
      // As Kafka (ClassicGroup.initNextGeneration): the protocol is forgotten but the protocol type
      // stays, so DescribeGroups and ListGroups still call an Empty group with committed offsets
      // what it is ("consumer"); the next first member sets it anew.
      group.state = 'Empty';
      group.protocolName = null;
      group.leaderId = null;
      this.emit('group empty', { group: group.groupId, generationId: group.generationId });
      return;
    }
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value ?? null;
    group.protocolName = group.selectProtocol();
    group.state = 'CompletingRebalance';
    this.emit('join complete', { group: group.groupId, generationId: group.generationId, members: group.members.size, leader: group.leaderId });
    for (const m of group.members.values()) {
      const resolve = m.awaitingJoin;
      m.awaitingJoin = null;
      m.assignment = Buffer.alloc(0);
      resolve?.(this.currentJoinOutcome(group, m));
    }
    // a leader that never sends its assignment must not stall the group forever
    const generation = group.generationId;
    group.syncTimer = setTimeout(() => {
      group.syncTimer = null;
      if (group.state !== 'CompletingRebalance' || group.generationId !== generation) return;
      for (const m of [...group.members.values()]) {
        if (m.awaitingSync === null) this.removeMember(group, m, 'did not sync within the rebalance timeout', false);
      }
      this.prepareRebalance(group, 'sync timed out');
    }, Math.max(group.rebalanceTimeoutMs(), 1));
    group.syncTimer.unref();
  }

  // ---------------------------------------------------------------- SyncGroup

  sync(groupId: string, generationId: number, memberId: string, assignments: { memberId: string; assignment: Buffer }[]): Promise<SyncOutcome> | SyncOutcome {
    const fail = (errorCode: number): SyncOutcome => ({ errorCode, assignment: Buffer.alloc(0) });
    const group = this.groups.get(groupId);
    if (!group) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    const member = group.members.get(memberId);
    if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case 'PreparingRebalance':
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        this.scheduleSession(group, member);
        return { errorCode: ErrorCode.NONE, assignment: member.assignment };
      case 'CompletingRebalance':
        return new Promise<SyncOutcome>((resolve) => {
          member.awaitingSync?.(fail(ErrorCode.REBALANCE_IN_PROGRESS));
          member.awaitingSync = resolve;
          this.scheduleSession(group, member);
          if (memberId === group.leaderId) this.applyAssignments(group, assignments);
        });
      default:
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  private applyAssignments(group: Group, assignments: { memberId: string; assignment: Buffer }[]): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? Buffer.alloc(0);
    group.state = 'Stable';
    if (group.syncTimer) {
      clearTimeout(group.syncTimer);
      group.syncTimer = null;
    }
    this.emit('group stable', { group: group.groupId, generationId: group.generationId, members: group.members.size });
    for (const m of group.members.values()) {
      const resolve = m.awaitingSync;
      m.awaitingSync = null;
      resolve?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    }
  }

  private failPendingSyncs(group: Group, errorCode: number): void {
    for (const m of group.members.values()) {
      m.assignment = Buffer.alloc(0);
      const resolve = m.awaitingSync;
      m.awaitingSync = null;
      resolve?.({ errorCode, assignment: Buffer.alloc(0) });
    }
  }

  // ---------------------------------------------------------------- Heartbeat / LeaveGroup

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Empty' || group.state === 'Dead') return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleSession(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberIds: string[]): { memberId: string; errorCode: number }[] {
    const group = this.groups.get(groupId);
    return memberIds.map((memberId) => {
      const member = group?.members.get(memberId);
      if (!group || !member) {
        if (group?.pendingMembers.has(memberId)) {
          clearTimeout(group.pendingMembers.get(memberId));
          group.pendingMembers.delete(memberId);
          this.tryCompleteJoin(group);
          return { memberId, errorCode: ErrorCode.NONE };
        }
        return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      }
      this.removeMember(group, member, 'left the group', true);
      return { memberId, errorCode: ErrorCode.NONE };
    });
  }

  /** session timers pause while a member is parked in a join or sync (Kafka keeps those alive) */
  private scheduleSession(group: Group, member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => {
      member.sessionTimer = null;
      if (group.members.get(member.memberId) !== member) return;
      if (member.awaitingJoin || member.awaitingSync) return this.scheduleSession(group, member);
      this.removeMember(group, member, 'session timed out', true);
    }, member.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private removeMember(group: Group, member: Member, reason: string, rebalance: boolean): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
    member.awaitingJoin?.(emptyJoin(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.awaitingJoin = null;
    member.awaitingSync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    member.awaitingSync = null;
    group.members.delete(member.memberId);
    if (group.leaderId === member.memberId) group.leaderId = group.members.keys().next().value ?? null;
    this.emit('member removed', { group: group.groupId, memberId: member.memberId, reason });
    if (!rebalance) return;
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group, `member ${member.memberId} ${reason}`);
    else if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
  }

  // ---------------------------------------------------------------- offsets

  /**
   * Validate a commit like Kafka: generation -1 with no member id is a standalone (admin or simple
   * consumer) commit, allowed only while the group has no members; otherwise member and generation must match.
   */
  async commit(groupId: string, generationId: number, memberId: string, entries: CommitEntry[]): Promise<number> {
    if (!groupId) return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    const standalone = generationId < 0 && memberId === '';
    if (group && !(standalone && group.state === 'Empty')) {
      if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      const member = group.members.get(memberId);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
      this.scheduleSession(group, member);
    } else if (!group && !standalone) {
      return ErrorCode.UNKNOWN_MEMBER_ID;
    }
    // A standalone commit to a group nobody knows creates it, without a protocol type (Kafka: a
    // simple consumer group, listed with an empty one). A group known only by offsets from before a
    // restart is left alone: see describe().
    const createsGroup = !group && this.offsets.list(groupId).length === 0;
    await this.offsets.commit(groupId, entries);
    if (createsGroup && entries.length > 0 && !this.groups.has(groupId)) this.groups.set(groupId, new Group(groupId));
    return ErrorCode.NONE;
  }

  // ---------------------------------------------------------------- deletion

  /** DeleteGroups: only a group without members can go, and its committed offsets go with it */
  async deleteGroup(groupId: string): Promise<number> {
    if (!groupId) return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    if (!group && this.offsets.list(groupId).length === 0) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group && group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    if (group) {
      for (const t of group.pendingMembers.values()) clearTimeout(t);
      group.state = 'Dead';
      this.groups.delete(groupId);
    }
    await this.offsets.deleteGroup(groupId);
    this.emit('group deleted', { group: groupId });
    return ErrorCode.NONE;
  }

  /**
   * OffsetDelete: forget committed offsets of single partitions. As in Kafka, a group with members
   * keeps the offsets of topics its members subscribe to (GROUP_SUBSCRIBED_TO_TOPIC); a group with
   * members that is not a consumer group cannot lose any (NON_EMPTY_GROUP).
   */
  async deleteOffsets(groupId: string, partitions: { topic: string; partition: number }[]): Promise<{ errorCode: number; partitionErrors: number[] }> {
    const none = (errorCode: number) => ({ errorCode, partitionErrors: partitions.map(() => ErrorCode.NONE) });
    if (!groupId) return none(ErrorCode.INVALID_GROUP_ID);
    const group = this.groups.get(groupId);
    if (!group && this.offsets.list(groupId).length === 0) return none(ErrorCode.GROUP_ID_NOT_FOUND);
    let subscribed: Set<string> | 'all' = new Set<string>();
    if (group && group.state !== 'Empty') {
      if (group.protocolType !== 'consumer') return none(ErrorCode.NON_EMPTY_GROUP);
      subscribed = subscribedTopics(group);
    }
    const partitionErrors = partitions.map((p) => (subscribed === 'all' || subscribed.has(p.topic) ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE));
    await this.offsets.deleteOffsets(groupId, partitions.filter((_, i) => partitionErrors[i] === ErrorCode.NONE));
    return { errorCode: ErrorCode.NONE, partitionErrors };
  }

  // ---------------------------------------------------------------- describe / list

  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) {
      // Known only by its committed offsets (from before a restart: group metadata, unlike Kafka's,
      // is not persisted). Such a group was almost always a consumer group, so it is called one.
      const known = this.offsets.list(groupId).length > 0;
      return { groupId, state: known ? 'Empty' : 'Dead', protocolType: known ? 'consumer' : '', protocolName: '', members: [] };
    }
    const protocolName = group.state === 'Stable' ? group.protocolName ?? '' : '';
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolName,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: protocolName ? m.metadataFor(protocolName) : Buffer.alloc(0),
        assignment: group.state === 'Stable' ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  list(): { groupId: string; protocolType: string }[] {
    const out = new Map<string, string>();
    // known only by offsets (before a restart): a consumer group, as in describe()
    for (const g of this.offsets.groups()) out.set(g, 'consumer');
    // a live group says what it is; one created by offset commits alone has no type (Kafka: '')
    for (const g of this.groups.values()) out.set(g.groupId, g.protocolType ?? '');
    return [...out].map(([groupId, protocolType]) => ({ groupId, protocolType }));
  }

  state(groupId: string): GroupState {
    return this.groups.get(groupId)?.state ?? 'Dead';
  }

  /** stop every timer and release parked requests (server shutdown) */
  close(): void {
    this.closed = true;
    if (this.emptyGroupTimer) clearInterval(this.emptyGroupTimer);
    for (const group of this.groups.values()) {
      if (group.joinTimer) clearTimeout(group.joinTimer);
      if (group.syncTimer) clearTimeout(group.syncTimer);
      for (const t of group.pendingMembers.values()) clearTimeout(t);
      for (const m of group.members.values()) {
        if (m.sessionTimer) clearTimeout(m.sessionTimer);
        m.awaitingJoin?.(emptyJoin(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.memberId));
        m.awaitingSync?.({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, assignment: Buffer.alloc(0) });
      }
      group.state = 'Dead';
    }
    this.groups.clear();
  }
}

/** topics named in the members' consumer-protocol subscriptions (int16 version, then an array of topic names) */
function subscribedTopics(group: Group): Set<string> | 'all' {
  const topics = new Set<string>();
  for (const m of group.members.values()) {
    const metadata = m.metadataFor(group.protocolName ?? m.protocols[0]?.name ?? '');
    try {
      const r = new Reader(metadata);
      r.int16();
      for (const t of r.array((r) => r.string())) topics.add(t);
    } catch {
      // undecodable subscription: treat every topic as subscribed rather than lose a live offset
      return 'all';
    }
  }
  return topics;
}
