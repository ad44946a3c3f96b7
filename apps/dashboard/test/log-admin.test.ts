import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { deleteFinishedGroup, groupKind, groupOwner, platformServiceGroups } from '@riderflow/service-kit';
import { LogAdmin } from '../server/adapters/log-admin.js';
import { describeLogDirs } from '../server/adapters/log-dirs.js';

// The log page's admin adapter against a real streamlog: the stale-group sweep, the refusals,
// and size on disk through DescribeLogDirs.

let dir: string;
let log: StreamlogHandle;
let kafka: Kafka;
let admin: Admin;
const TOPIC = 'console.probe';

/** a group that read the topic, committed and left: state Empty */
async function emptyGroup(groupId: string): Promise<void> {
  const c = kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  await c.connect();
  await c.subscribe({ topic: TOPIC, fromBeginning: true });
  let n = 0;
  await c.run({ autoCommitInterval: 50, eachMessage: async () => void n++ });
  const deadline = Date.now() + 30_000;
  while (n < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await c.disconnect();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rf-logadmin-'));
  log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
  kafka = new Kafka({ clientId: 'log-admin-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 4}`, value: JSON.stringify({ i }), timestamp: String(Date.UTC(2025, 2, 3, 12, i)) })) });
  await producer.disconnect();
});

afterAll(async () => {
  await admin?.disconnect().catch(() => {});
  await log?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('log admin', () => {
  it('tells a job’s group from a service’s per-start follower and from a service’s own group', () => {
    expect(['replay-2025-03-03T11-00-00-000Z-abc', 'rostering-replay-1-x', 'walkthrough-clock-1', 'dashboard-browser-1', 'dashboard-warm-1'].map(groupKind)).toEqual(['job', 'job', 'job', 'job', 'job']);
    expect(groupKind('follower-rostering-models-0b1c')).toBe('follower');
    expect(['dispatch', 'rostering', 'projector', 'dashboard'].map(groupKind)).toEqual(['service', 'service', 'service', 'service']);
  });

  it('calls a group no platform service reads under foreign, whatever a setting renames the services’ groups to', () => {
    const defaults = platformServiceGroups({});
    expect(['dispatch', 'rostering', 'projector', 'notifier-planner', 'dashboard'].map((id) => groupOwner(id, defaults))).toEqual(['service', 'service', 'service', 'service', 'service']);
    expect(['mygroup', 'rdkafka', 'console-consumer-4711'].map((id) => groupOwner(id, defaults))).toEqual(['foreign', 'foreign', 'foreign']);
    expect(groupOwner('replay-2025-03-03T11-00-00-000Z-abc', defaults)).toBe('job');
    expect(groupOwner('follower-rostering-models-0b1c', defaults)).toBe('follower');
    const renamed = platformServiceGroups({ DISPATCH_GROUP: 'dispatch-b' });
    expect([groupOwner('dispatch-b', renamed), groupOwner('dispatch', renamed)]).toEqual(['service', 'foreign']);
  });

  it('labels a group kcat made as foreign and a service’s group as a service’s, on the log page’s sample', async () => {
    await emptyGroup('dispatch');
    // kcat's balanced consumer (-G), as a user would run it against npm start's log
    const kcat = spawn('kcat', ['-b', log.brokers, '-G', 'kcat-probe', '-q', TOPIC], { stdio: ['ignore', 'ignore', 'pipe'] });
    let kcatErr = '';
    kcat.stderr!.on('data', (c: Buffer) => (kcatErr += c.toString()));
    const la = new LogAdmin(kafka, { serviceGroups: platformServiceGroups({}) });
    try {
      const deadline = Date.now() + 30_000;
      let kinds: Record<string, string> = {};
      while (Date.now() < deadline) {
        kinds = Object.fromEntries((await la.sample()).groups.map((g) => [g.groupId, g.kind]));
        if (kinds['kcat-probe']) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(kinds['kcat-probe'], kcatErr).toBe('foreign');
      expect(kinds.dispatch).toBe('service');
    } finally {
      kcat.kill('SIGTERM');
      await new Promise((r) => kcat.once('exit', r));
      await la.close();
      // the other tests list the groups on this log: leave none behind (kcat's goes once it has left)
      for (const id of ['kcat-probe', 'dispatch']) {
        const deadline = Date.now() + 30_000;
        while ((await deleteFinishedGroup(kafka, id)) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      }
    }
  });

  it('sweeps only the platform’s short-lived and follower groups that have no member', async () => {
    await emptyGroup('walkthrough-clock-stale');
    await emptyGroup('rostering-replay-stale');
    // a follower a crashed service left behind: a new id each start, so it must not pile up
    await emptyGroup('follower-rostering-models-stale');
    await emptyGroup('projector');
    const running = kafka.consumer({ groupId: 'replay-running', sessionTimeout: 6_000, heartbeatInterval: 500 });
    await running.connect();
    await running.subscribe({ topic: TOPIC, fromBeginning: true });
    await running.run({ eachMessage: async () => {} });
    const deadline = Date.now() + 30_000;
    while ((await admin.describeGroups(['replay-running'])).groups[0]?.state !== 'Stable' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const la = new LogAdmin(kafka);
    try {
      const r = await la.sweepStale();
      expect(r.failed).toEqual([]);
      expect(r.deleted.sort()).toEqual(['follower-rostering-models-stale', 'rostering-replay-stale', 'walkthrough-clock-stale']);
      const left = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
      expect(left).toEqual(['projector', 'replay-running']);
      // a running group is refused, in words; a finished one goes
      await expect(la.deleteGroup('replay-running')).rejects.toThrow('"replay-running" still has 1 running member (state Stable): only a group with no running consumer can be deleted.');
      await expect(la.resetGroup('replay-running', { to: 'earliest' })).rejects.toThrow(/^Stop "replay-running" first: it has 1 running member/);
      await running.disconnect();
      expect(await deleteFinishedGroup(kafka, 'replay-running')).toBeNull();
      await expect(la.deleteGroup('no-such-group')).rejects.toThrow('There is no consumer group "no-such-group".');
    } finally {
      await running.disconnect().catch(() => {});
      await la.close();
    }
  });

  it('resets a stopped group to the earliest offsets', async () => {
    await emptyGroup('reset-me');
    const la = new LogAdmin(kafka);
    try {
      const r = await la.resetGroup('reset-me', { to: 'earliest' });
      expect(r.topics).toEqual([{ topic: TOPIC, partitions: [{ partition: 0, offset: '0' }, { partition: 1, offset: '0' }] }]);
      const committed = (await admin.fetchOffsets({ groupId: 'reset-me', topics: [TOPIC] }))[0]!.partitions.map((p) => p.offset);
      expect(committed).toEqual(['0', '0']);
    } finally {
      await la.close();
    }
  });

  it('refuses to reset a group to a time after the newest record, in words, and moves no offset', async () => {
    await emptyGroup('reset-future');
    const la = new LogAdmin(kafka);
    try {
      const before = (await admin.fetchOffsets({ groupId: 'reset-future', topics: [TOPIC] }))[0]!.partitions.map((p) => p.offset);
      await expect(la.resetGroup('reset-future', { to: 'time', time: Date.UTC(2025, 2, 3, 12, 40) })).rejects.toThrow(
        `There are no records after 2025-03-03 12:39 (the newest) on ${TOPIC}: pick an earlier time, or "latest" to move "reset-future" to the end.`,
      );
      expect((await admin.fetchOffsets({ groupId: 'reset-future', topics: [TOPIC] }))[0]!.partitions.map((p) => p.offset)).toEqual(before);
      // the newest record's own time is a time with a record: allowed, and the group goes there
      const r = await la.resetGroup('reset-future', { to: 'time', time: Date.UTC(2025, 2, 3, 12, 39) });
      // exactly one record (12:39's) is left to read
      const ends = await admin.fetchTopicOffsets(TOPIC);
      expect(r.topics[0]!.partitions.reduce((n, p) => n + Number(ends.find((e) => e.partition === p.partition)!.high) - Number(p.offset), 0)).toBe(1);
    } finally {
      await la.close();
    }
  });

  it('reads size on disk per partition through DescribeLogDirs, and the topic configuration', async () => {
    const [host, port] = log.brokers.split(':') as [string, string];
    const sizes = await describeLogDirs(host, Number(port), TOPIC, [0, 1]);
    expect([...sizes.keys()].sort()).toEqual([0, 1]);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(40 * 10); // 40 records of at least ten bytes each
    const la = new LogAdmin(kafka);
    try {
      const d = await la.topicDetail(TOPIC);
      expect(d.sizeOnDisk).toBe(total);
      expect(d.config?.map((c) => c.name)).toContain('retention.ms');
      expect(d.partitions.map((p) => p.high)).toEqual(['' + d.partitions[0]!.messages, '' + d.partitions[1]!.messages]);
      await expect(la.topicDetail('nope')).rejects.toThrow('There is no topic "nope".');
      expect(await la.newestTimestamp(TOPIC)).toBe(Date.UTC(2025, 2, 3, 12, 39));
    } finally {
      await la.close();
    }
  });
});

describe('cleanup policy and dirty ratio', () => {
  it('reports a topic’s cleanup policy, and the log cleaner’s dirty ratio for a compacted one from the log’s metrics', async () => {
    const cdir = mkdtempSync(path.join(os.tmpdir(), 'rf-logadmin-compact-'));
    // the cleaner does not run during the test: every sealed byte stays dirty
    const broker = await startStreamlog({ port: 0, httpPort: 0, dataDir: cdir, durability: 'none', logCleanerIntervalMs: 3_600_000 });
    const k = new Kafka({ clientId: 'log-admin-compact', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
    const a = k.admin();
    await a.connect();
    const metricsUrl = `http://127.0.0.1:${broker.httpPort}/metrics`;
    const la = new LogAdmin(k, { metricsUrl });
    const blind = new LogAdmin(k);
    try {
      await a.createTopics({ topics: [
        { topic: 'state.compacted', numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '1024' }] },
        { topic: 'facts.deleted', numPartitions: 1 },
      ] });
      const p = k.producer();
      await p.connect();
      // partition 0 gets enough to seal segments; partition 1 stays in its active segment
      // one batch per send: a segment rolls between batches once it passed segment.bytes
      for (let i = 0; i < 30; i++) await p.send({ topic: 'state.compacted', messages: [{ key: `k${i % 5}`, value: 'x'.repeat(100), partition: 0 }] });
      await p.send({ topic: 'state.compacted', messages: [{ key: 'only', value: 'one', partition: 1 }] });
      await p.disconnect();

      const d = await la.topicDetail('state.compacted');
      expect(d.cleanupPolicy).toBe('compact');
      expect(d.dirtyRatioError).toBeNull();
      expect(d.partitions.map((x) => x.dirtyRatio)).toEqual([1, 0]); // sealed and never cleaned; nothing sealed
      const plain = await la.topicDetail('facts.deleted');
      expect(plain.cleanupPolicy).toBe('delete');
      expect(plain.partitions.map((x) => x.dirtyRatio)).toEqual([null]);
      // without the log's metrics endpoint the page says so instead of guessing
      const unknown = await blind.topicDetail('state.compacted');
      expect(unknown.cleanupPolicy).toBe('compact');
      expect(unknown.dirtyRatioError).toMatch(/LOG_METRICS_URL/);
      expect(unknown.partitions.map((x) => x.dirtyRatio)).toEqual([null, null]);
    } finally {
      await la.close();
      await blind.close();
      await a.disconnect();
      await broker.close();
      rmSync(cdir, { recursive: true, force: true });
    }
  });
});
