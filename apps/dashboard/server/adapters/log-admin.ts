import type { Admin, Kafka } from 'kafkajs';
import type { GroupInfo, GroupPartitionLag, LagSample, LogSnapshot, PartitionInfo, TopicDetail, TopicInfo } from '@riderflow/contracts';
import { deleteGroups, groupOwner, isShortLivedGroup, platformServiceGroups, newestRecordTimestamp, oldestRecordTimestamp, sweepStaleGroups } from '@riderflow/service-kit';
import { LagClock } from '../core/lag-clock.js';
import { describeLogDirs } from './log-dirs.js';
import { readDirtyRatios } from './log-cleaner-metrics.js';
import { HumanError } from '../core/human-error.js';
import { fmtSimTime } from '../core/sim-time.js';

// Topics, offsets and consumer groups through the Kafka admin API, so the same page reads
// streamlog and Apache Kafka. Sampled on a timer; the lag history feeds the "lag over time" chart.
// Group actions (delete, reset offsets) go through the same admin API, as kafka-consumer-groups.sh does.

export type { GroupInfo, GroupPartitionLag, LagSample, LogSnapshot, PartitionInfo, TopicDetail, TopicInfo };
export type ResetTarget = { to: 'earliest' } | { to: 'latest' } | { to: 'time'; time: number };

/** groups the dashboard makes for a few seconds (the message browser's windows, the read-back at its start): never listed */
export const isBrowseGroup = (id: string) => id.startsWith('dashboard-browser-') || id.startsWith('dashboard-warm-');

export class LogAdmin {
  private admin: Admin | null = null;
  private readonly clock = new LagClock();
  private readonly history: LagSample[] = [];
  snapshot: LogSnapshot | null = null;
  lastError: string | null = null;
  lastOkAt = 0;

  private readonly historySize: number;
  private readonly metricsUrl: string | undefined;
  /** The platform services' group names; any other group without a job's or follower's prefix is foreign. */
  private readonly serviceGroups: ReadonlySet<string>;

  constructor(private readonly kafka: Kafka, options: { historySize?: number; metricsUrl?: string | undefined; serviceGroups?: ReadonlySet<string> } = {}) {
    this.historySize = options.historySize ?? 150;
    this.metricsUrl = options.metricsUrl;
    // npm start gives every service one environment, so the group settings here are the services' own.
    this.serviceGroups = options.serviceGroups ?? platformServiceGroups(process.env);
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /** one sample: every topic's offsets, every group's committed offsets and lag */
  async sample(now = Date.now()): Promise<LogSnapshot> {
    try {
      const admin = await this.connected();
      const names = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
      const topics: TopicInfo[] = [];
      const highs = new Map<string, number>();
      for (const name of names) {
        const offsets = await admin.fetchTopicOffsets(name);
        const partitions = offsets
          .map((o) => ({ partition: o.partition, low: o.low, high: o.high, messages: Number(o.high) - Number(o.low) }))
          .sort((a, b) => a.partition - b.partition);
        for (const p of partitions) {
          highs.set(`${name}/${p.partition}`, Number(p.high));
          this.clock.record(name, p.partition, now, Number(p.high));
        }
        topics.push({ name, partitions, messages: partitions.reduce((s, p) => s + p.messages, 0) });
      }
      const { groups: listed } = await admin.listGroups();
      const ids = listed.map((g) => g.groupId).filter((id) => !isBrowseGroup(id)).sort();
      const described = ids.length ? (await admin.describeGroups(ids)).groups : [];
      const groups: GroupInfo[] = [];
      for (const id of ids) {
        const d = described.find((g) => g.groupId === id);
        const fetched = await admin.fetchOffsets({ groupId: id });
        const partitions: GroupPartitionLag[] = [];
        for (const t of fetched) {
          for (const p of t.partitions) {
            const high = highs.get(`${t.topic}/${p.partition}`);
            if (high === undefined || p.offset === '-1') continue;
            const committed = Number(p.offset);
            partitions.push({
              topic: t.topic,
              partition: p.partition,
              committed: p.offset,
              high: String(high),
              lag: Math.max(0, high - committed),
              lagSeconds: this.clock.lagSeconds(t.topic, p.partition, committed, high, now),
            });
          }
        }
        groups.push({
          groupId: id,
          state: d?.state ?? 'Unknown',
          members: d?.members.length ?? 0,
          lag: partitions.reduce((s, p) => s + p.lag, 0),
          lagSeconds: partitions.reduce((m, p) => Math.max(m, p.lagSeconds), 0),
          shortLived: isShortLivedGroup(id),
          kind: groupOwner(id, this.serviceGroups),
          partitions,
        });
      }
      this.history.push({ at: now, groups: Object.fromEntries(groups.map((g) => [g.groupId, { lag: g.lag, lagSeconds: g.lagSeconds }])) });
      if (this.history.length > this.historySize) this.history.shift();
      this.snapshot = { at: now, topics, groups, history: [...this.history] };
      this.lastError = null;
      this.lastOkAt = now;
      return this.snapshot;
    } catch (err) {
      this.lastError = (err as Error).message;
      await this.admin?.disconnect().catch(() => {});
      this.admin = null;
      throw err;
    }
  }

  async offsetsForTime(topic: string, ts: number): Promise<{ partition: number; offset: string }[]> {
    const admin = await this.connected();
    return admin.fetchTopicOffsetsByTimestamp(topic, ts);
  }

  /** each partition's log end (the offset the next record will get) */
  async endOffsets(topic: string): Promise<{ partition: number; offset: string }[]> {
    const admin = await this.connected();
    return (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high }));
  }

  /** the newest record's timestamp on a topic (null when the topic holds no record) */
  async newestTimestamp(topic: string): Promise<number | null> {
    return newestRecordTimestamp(await this.connected(), topic);
  }

  /** the oldest record's timestamp on a topic, to the millisecond (null when it holds no record) */
  async oldestTimestamp(topic: string): Promise<number | null> {
    return oldestRecordTimestamp(await this.connected(), topic);
  }

  private async describe(groupId: string): Promise<{ state: string; members: number }> {
    const admin = await this.connected();
    const { groups } = await admin.describeGroups([groupId]);
    const g = groups[0];
    if (!g || g.state === 'Dead') throw new HumanError(404, `There is no consumer group "${groupId}".`);
    return { state: g.state, members: g.members.length };
  }

  /** deletes a group that has no member; refuses (with the reason) otherwise */
  async deleteGroup(groupId: string): Promise<{ deleted: string }> {
    const d = await this.describe(groupId);
    if (d.members > 0) throw new HumanError(409, `"${groupId}" still has ${d.members} running member${d.members === 1 ? '' : 's'} (state ${d.state}): only a group with no running consumer can be deleted.`);
    const admin = await this.connected();
    const r = await deleteGroups(admin, [groupId]);
    if (r.failed.length) throw new HumanError(502, `The log refused to delete "${groupId}": ${r.failed[0]!.error}`);
    return { deleted: groupId };
  }

  /** moves a stopped group's committed offsets, on every topic it has read, to the earliest, latest or a time */
  async resetGroup(groupId: string, target: ResetTarget): Promise<{ groupId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }> {
    const d = await this.describe(groupId);
    if (d.members > 0) throw new HumanError(409, `Stop "${groupId}" first: it has ${d.members} running member${d.members === 1 ? '' : 's'} (state ${d.state}), and a running group would overwrite the new offsets.`);
    const admin = await this.connected();
    const topics = (await admin.fetchOffsets({ groupId })).filter((t) => t.partitions.some((p) => p.offset !== '-1')).map((t) => t.topic);
    if (topics.length === 0) throw new HumanError(409, `"${groupId}" has committed no offset yet: there is nothing to reset.`);
    if (target.to === 'time') await this.refuseAfterNewest(groupId, topics, target.time);
    const out: { topic: string; partitions: { partition: number; offset: string }[] }[] = [];
    for (const topic of topics) {
      let partitions: { partition: number; offset: string }[];
      if (target.to === 'time') {
        partitions = (await admin.fetchTopicOffsetsByTimestamp(topic, target.time)).map((o) => ({ partition: o.partition, offset: o.offset }));
      } else {
        const ends = await admin.fetchTopicOffsets(topic);
        partitions = ends.map((o) => ({ partition: o.partition, offset: target.to === 'earliest' ? o.low : o.high }));
      }
      await admin.setOffsets({ groupId, topic, partitions });
      out.push({ topic, partitions: partitions.sort((a, b) => a.partition - b.partition) });
    }
    return { groupId, topics: out };
  }

  /**
   * A reset to a time after the newest record of every topic the group reads would quietly put it
   * at the end (Kafka's tools and the time index answer "no record at or after T" with the end):
   * refused in words, as the replay form refuses the same time, before any offset moves. The wire
   * protocol stays Kafka's; this is the dashboard's action only. "latest" still goes to the end.
   */
  private async refuseAfterNewest(groupId: string, topics: string[], time: number): Promise<void> {
    let newest: number | null = null;
    for (const topic of topics) {
      const t = await this.newestTimestamp(topic);
      if (t !== null && (newest === null || t > newest)) newest = t;
    }
    if (newest !== null && time <= newest) return;
    const where = topics.length === 1 ? topics[0] : `the ${topics.length} topics "${groupId}" reads`;
    throw new HumanError(400, newest === null
      ? `${where} holds no records: there is no time to reset "${groupId}" to.`
      : `There are no records after ${fmtSimTime(newest, false)} (the newest) on ${where}: pick an earlier time, or "latest" to move "${groupId}" to the end.`);
  }

  /** a topic's partitions, its configuration and size, as far as the broker answers them */
  async topicDetail(name: string): Promise<TopicDetail> {
    const admin = await this.connected();
    if (!(await admin.listTopics()).includes(name)) throw new HumanError(404, `There is no topic "${name}".`);
    const partitions = (await admin.fetchTopicOffsets(name))
      .map((o) => ({ partition: o.partition, low: o.low, high: o.high, messages: Number(o.high) - Number(o.low) }))
      .sort((a, b) => a.partition - b.partition);
    let config: TopicDetail['config'] = null;
    let configError: string | null = null;
    try {
      const r = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2 /* TOPIC */, name }] });
      config = (r.resources[0]?.configEntries ?? []).map((c) => ({ name: c.configName, value: c.configValue, isDefault: c.isDefault })).sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      configError = `the log does not describe topic configuration (${(err as Error).message})`;
    }
    // size on disk: DescribeLogDirs, asked of every broker (kafkajs has no call for it)
    let sizeError: string | null = null;
    const bytes = new Map<number, number>();
    try {
      const { brokers } = await admin.describeCluster();
      const ids = partitions.map((p) => p.partition);
      for (const b of brokers) for (const [p, n] of await describeLogDirs(b.host, b.port, name, ids)) bytes.set(p, (bytes.get(p) ?? 0) + n);
    } catch (err) {
      sizeError = `not reported: ${(err as Error).message}`;
    }
    const cleanupPolicy = config ? config.find((c) => c.name === 'cleanup.policy')?.value ?? 'delete' : null;
    // the dirty ratio: only the log cleaner knows it, and no Kafka API reports it; streamlog's
    // /metrics does (as Kafka's cleaner reports through JMX), when the dashboard is told where
    let dirty = new Map<number, number>();
    let dirtyRatioError: string | null = null;
    if (cleanupPolicy?.includes('compact')) {
      if (!this.metricsUrl) dirtyRatioError = 'not reported: the log’s metrics endpoint is not configured (LOG_METRICS_URL)';
      else {
        try {
          dirty = await readDirtyRatios(this.metricsUrl, name);
        } catch (err) {
          dirtyRatioError = `not reported: ${(err as Error).message}`;
        }
      }
    }
    const sized = partitions.map((p) => ({ ...p, bytes: sizeError ? null : bytes.get(p.partition) ?? 0, dirtyRatio: dirty.get(p.partition) ?? null }));
    return { name, partitions: sized, config, configError, sizeOnDisk: sizeError ? null : [...bytes.values()].reduce((a, b) => a + b, 0), sizeError, cleanupPolicy, dirtyRatioError };
  }

  /** removes the job and follower groups a crash left behind (no member, platform-made prefix) */
  async sweepStale(): Promise<{ deleted: string[]; failed: { groupId: string; error: string }[] }> {
    return sweepStaleGroups(await this.connected());
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}

