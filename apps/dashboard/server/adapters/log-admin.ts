import type { Admin, Kafka } from 'kafkajs';
import { LagClock } from '../core/lag-clock.js';

// Topics, offsets and consumer groups through the Kafka admin API, so the same page reads
// streamlog and Apache Kafka. Sampled on a timer; the lag history feeds the "lag over time" chart.

export interface PartitionInfo { partition: number; low: string; high: string; messages: number }
export interface TopicInfo { name: string; partitions: PartitionInfo[]; messages: number }
export interface GroupPartitionLag { topic: string; partition: number; committed: string; high: string; lag: number; lagSeconds: number }
export interface GroupInfo { groupId: string; state: string; members: number; lag: number; lagSeconds: number; partitions: GroupPartitionLag[] }
export interface LagSample { at: number; groups: Record<string, { lag: number; lagSeconds: number }> }
export interface LogSnapshot { at: number; topics: TopicInfo[]; groups: GroupInfo[]; history: LagSample[] }

export class LogAdmin {
  private admin: Admin | null = null;
  private readonly clock = new LagClock();
  private readonly history: LagSample[] = [];
  snapshot: LogSnapshot | null = null;
  lastError: string | null = null;
  lastOkAt = 0;

  constructor(private readonly kafka: Kafka, private readonly historySize = 150) {}

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
      const ids = listed.map((g) => g.groupId).sort();
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

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}
