import amqp, { type ChannelModel } from 'amqplib';
import type { Admin, Kafka } from 'kafkajs';
import { EXCHANGES, QUEUES, TOPIC } from '@riderflow/contracts';
import { deleteFinishedGroup, isShortLivedGroup } from '@riderflow/service-kit';
import type { Step, StepResult, WalkthroughContext } from './context.js';
import { peekQueue, queueDepth, vhostOf, waitFor } from './mgmt.js';
import { summariseReason } from './reason.js';
import { keptQueueChannel } from './kept-queue.js';
import { severConnection } from './sever-connection.js';
import { transaction } from './transaction-step.js';
import { logKeptWords } from './log-kept.js';

// The log-versus-queue story as seven runnable steps (the seventh, a transaction, in its own file),
// each producing its own evidence from the running platform. `npm run demo` prints them; the dashboard's walkthrough page runs the same code.

const TOPIC_UNDER_TEST = TOPIC.orderEvents;

async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

async function topicEnds(admin: Admin, topic: string): Promise<{ low: number; high: number; byPartition: Map<number, number> }> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return {
    low: offsets.reduce((s, o) => s + Number(o.low), 0),
    high: offsets.reduce((s, o) => s + Number(o.high), 0),
    byPartition: new Map(offsets.map((o) => [o.partition, Number(o.high)])),
  };
}

/**
 * A group's lag on a topic, over the partitions it has committed on (a partition it has not read
 * yet has no position to measure from, so it is counted apart instead of as "behind everything").
 */
async function groupLag(admin: Admin, groupId: string, ends: Map<number, number>, topic: string): Promise<{ lag: number; committed: number; partitions: number } | null> {
  const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
  const parts = fetched.flatMap((t) => t.partitions).filter((p) => p.offset !== '-1');
  if (parts.length === 0) return null;
  const lag = parts.reduce((s, p) => s + Math.max(0, (ends.get(p.partition) ?? 0) - Number(p.offset)), 0);
  return { lag, committed: parts.length, partitions: ends.size };
}

const twoGroups: Step = {
  id: 'two-groups',
  title: 'Several consumer groups read one stream',
  lesson: 'Every consumer group keeps its own position in the same log: dispatch, rostering, the projector, the notifier and the dashboard all read every order event, independently.',
  where: 'The log page: "Consumer groups" lists each group with its own committed offsets and lag on order.events.',
  flows: 'topic order.events, read by the groups dispatch, rostering, projector, notifier-planner and dashboard',
  async run(ctx) {
    return withAdmin(ctx.kafka, async (admin) => {
      const ends = await topicEnds(admin, TOPIC_UNDER_TEST);
      const { groups } = await admin.listGroups();
      const evidence: string[] = [];
      const readers: string[] = [];
      for (const g of groups.map((x) => x.groupId).filter((id) => !isShortLivedGroup(id)).sort()) {
        const at = await groupLag(admin, g, ends.byPartition, TOPIC_UNDER_TEST);
        if (at === null) continue;
        readers.push(g);
        const coverage = at.committed < at.partitions ? ` on the ${at.committed} of ${at.partitions} partitions it has read so far` : '';
        evidence.push(`group ${g}: lag ${at.lag} on ${TOPIC_UNDER_TEST}${coverage}`);
      }
      evidence.push(readers.length >= 2 ? `these ${readers.length} groups read the same ${ends.high} records, each at its own position.` : 'fewer than two groups have read order.events yet: is the platform running?');
      return { ok: readers.length >= 2, evidence, data: { readers } };
    });
  },
};

async function readFor(kafka: Kafka, groupId: string, seen: Map<number, number[]>, stopWhen: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC_UNDER_TEST, fromBeginning: false });
    await consumer.run({
      autoCommitInterval: 200,
      eachMessage: async ({ partition, message }) => {
        const list = seen.get(partition) ?? [];
        list.push(Number(message.offset));
        seen.set(partition, list);
      },
    });
    await waitFor(async () => stopWhen(), timeoutMs, 200);
  } finally {
    await consumer.disconnect();
  }
}

const stoppedConsumer: Step = {
  id: 'stopped-consumer',
  title: 'A stopped consumer catches up with nothing lost',
  lesson: 'The log keeps what was written while a reader was away; the reader resumes from its committed offset and misses nothing.',
  where: 'The log page: the platform\'s own groups (dispatch, projector, rostering) resume from their committed offsets the same way; this step\'s group "walkthrough-reader-…" is deleted when the step ends.',
  flows: 'topic order.events and its committed offsets: how dispatch, rostering and the projector resume after a restart',
  async run(ctx) {
    const groupId = `walkthrough-reader-${Date.now().toString(36)}`;
    try {
      return await stopAndResume(ctx, groupId);
    } finally {
      // the step is over: its group goes with it (the log page would otherwise keep it for ever)
      await deleteFinishedGroup(ctx.kafka, groupId);
    }
  },
};

async function stopAndResume(ctx: WalkthroughContext, groupId: string): Promise<StepResult> {
  const before = new Map<number, number[]>();
  const count = (m: Map<number, number[]>) => [...m.values()].reduce((s, l) => s + l.length, 0);
  ctx.say(`starting consumer group ${groupId} on ${TOPIC_UNDER_TEST}`);
  await readFor(ctx.kafka, groupId, before, async () => count(before) >= 10, 20_000);
  ctx.say(`read ${count(before)} events, now stopping it for 8 s while the simulator keeps writing`);
  await new Promise((r) => setTimeout(r, 8_000));
  const lag = await withAdmin(ctx.kafka, async (admin) => {
    const ends = await topicEnds(admin, TOPIC_UNDER_TEST);
    return (await groupLag(admin, groupId, ends.byPartition, TOPIC_UNDER_TEST))?.lag ?? 0;
  });
  ctx.say(`while stopped the group fell ${lag} events behind; restarting it`);
  const after = new Map<number, number[]>();
  const target = await withAdmin(ctx.kafka, async (admin) => (await topicEnds(admin, TOPIC_UNDER_TEST)).byPartition);
  await readFor(
    ctx.kafka,
    groupId,
    after,
    async () => [...target].every(([p, high]) => high === 0 || (after.get(p)?.at(-1) ?? -1) >= high - 1 || (before.get(p)?.at(-1) ?? -1) >= high - 1),
    30_000,
  );
  // Nothing lost: per partition, the offsets read before and after the stop leave no gap.
  const gaps: string[] = [];
  for (const [p, list] of before) {
    const resumedAt = after.get(p)?.[0];
    if (resumedAt !== undefined && resumedAt > list.at(-1)! + 1) gaps.push(`partition ${p}: ${list.at(-1)} then ${resumedAt}`);
  }
  const missed = Math.min(lag, count(after));
  const evidence = [
    `before the stop: ${count(before)} events read, offsets committed`,
    `while stopped: ${lag} new events were written that it had not read (its lag)`,
    `after the restart: ${count(after)} events read from its committed offsets: the ${missed} it had missed, then ${count(after) - missed} written since`,
    gaps.length ? `GAP: ${gaps.join('; ')}` : 'no offset skipped on any partition: nothing lost.',
  ];
  return { ok: gaps.length === 0 && count(after) > 0, evidence, data: { groupId, lag } };
}

const replayYesterday: Step = {
  id: 'replay',
  title: 'A replay from yesterday',
  lesson: 'The log is a time machine: a new group can start at any simulated time, found through the time index, and re-read history without disturbing anyone.',
  where: 'The log page: "Replay from a time" runs the same thing into a group you can watch catch up; this step\'s own group "walkthrough-replay-…" is deleted when the step ends.',
  flows: 'topic order.events and its time index: how rostering trains on past days and the dashboard replays',
  async run(ctx) {
    const now = await ctx.simNow();
    const from = now - 24 * 3600_000;
    const groupId = `walkthrough-replay-${Date.now().toString(36)}`;
    const { offsets, ends } = await withAdmin(ctx.kafka, async (admin) => ({
      offsets: await admin.fetchTopicOffsetsByTimestamp(TOPIC_UNDER_TEST, from),
      ends: (await topicEnds(admin, TOPIC_UNDER_TEST)).byPartition,
    }));
    const expected = offsets.reduce((s, o) => s + Math.max(0, (ends.get(o.partition) ?? 0) - Number(o.offset)), 0);
    const started = Date.now();
    let read = 0;
    let firstTs: number | null = null;
    const consumer = ctx.kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPIC_UNDER_TEST, fromBeginning: true });
      const last = new Map<number, number>();
      await consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            if (Number(m.offset) >= (ends.get(batch.partition) ?? 0)) continue;
            read++;
            firstTs = firstTs === null ? Number(m.timestamp) : Math.min(firstTs, Number(m.timestamp));
            last.set(batch.partition, Number(m.offset));
          }
        },
      });
      for (const o of offsets) consumer.seek({ topic: TOPIC_UNDER_TEST, partition: o.partition, offset: o.offset });
      await waitFor(async () => read >= expected, 60_000, 200);
    } finally {
      await consumer.disconnect();
      await deleteFinishedGroup(ctx.kafka, groupId);
    }
    const secs = (Date.now() - started) / 1000;
    return {
      ok: read >= expected,
      evidence: [
        `asked for simulated ${new Date(from).toISOString()} (24 h before the newest event); the time index gave the starting offsets`,
        `replayed ${read} of ${expected} order events in ${secs.toFixed(1)} s into group ${groupId}` + (firstTs !== null ? `, the first from ${new Date(firstTs).toISOString()}` : ''),
        'the groups already reading did not move: each keeps its own offsets.',
      ],
      data: { groupId, read, expected },
    };
  },
};

async function closeQuickly(c: ChannelModel, ms = 1_000): Promise<void> {
  await Promise.race([c.close().catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())]);
}

async function amqpConnect(url: string): Promise<ChannelModel> {
  const c = await amqp.connect(url, { timeout: 5_000 });
  c.on('error', () => {});
  return c;
}

const queueVsLog: Step = {
  id: 'queue-vs-log',
  title: 'A queue message is gone once acknowledged; the log keeps every event',
  lesson: 'A queue is a post office: a task waits for one handler and is deleted once handled. Reading the log deletes nothing.',
  where: 'The queues page: walkthrough.demo stays listed (durable: after a restart too) with 0 ready and 0 unacked (its task was deleted once acknowledged); the log page: order.events still starts at the same offset.',
  flows: 'queue rider.instructions (dispatch → the riders), each task handled once; topic order.events, kept for every reader',
  async run(ctx) {
    const conn = await amqpConnect(ctx.amqpUrl);
    try {
      const q = 'walkthrough.demo';
      const ch = await keptQueueChannel(conn, q);
      const logBefore = await withAdmin(ctx.kafka, (a) => topicEnds(a, TOPIC_UNDER_TEST));
      ch.sendToQueue(q, Buffer.from(JSON.stringify({ demo: 'tell rider 17 to move to zone C', at: Date.now() })));
      await ch.waitForConfirms();
      const queued = await waitFor(async () => (await queueDepth(ctx.managementUrl, q, vhostOf(ctx.amqpUrl))).ready === 1, 15_000);
      const msg = await ch.get(q, { noAck: false });
      if (msg) ch.ack(msg);
      const gone = await waitFor(async () => {
        const d = await queueDepth(ctx.managementUrl, q, vhostOf(ctx.amqpUrl));
        return d.ready === 0 && d.unacked === 0;
      }, 15_000);
      const logAfter = await withAdmin(ctx.kafka, (a) => topicEnds(a, TOPIC_UNDER_TEST));
      // The queue stays (empty, durable: across broker restarts too) so the queues page can show it; the next run purges it first.
      const kept = logAfter.low === logBefore.low && logAfter.high >= logBefore.high;
      return {
        ok: Boolean(queued && msg && gone && kept),
        evidence: [
          `queue ${q}: published one task → ${queued ? '1 ready' : 'not seen as ready'}`,
          `handled and acknowledged it → ${gone ? '0 ready, 0 unacked: the broker deleted it' : 'still there?'}`,
          logKeptWords(TOPIC_UNDER_TEST, logBefore, logAfter),
        ],
      };
    } finally {
      await conn.close().catch(() => {});
    }
  },
};

const killedWorker: Step = {
  id: 'killed-worker',
  title: "A killed worker's unacknowledged messages are delivered again",
  lesson: 'Acknowledgements make a queue safe: a worker that dies mid-batch loses nothing, its unacknowledged tasks go to the next worker marked redelivered.',
  where: 'The queues page: walkthrough.work stays listed (durable: after a restart too), empty: all 5 tasks were handled after their redelivery.',
  flows: 'queues notify.customer and notify.ops (the notifier workers), jobs.rostering (retraining)',
  async run(ctx) {
    const q = 'walkthrough.work';
    const setup = await amqpConnect(ctx.amqpUrl);
    const worker = await amqpConnect(ctx.amqpUrl);
    const next = await amqpConnect(ctx.amqpUrl);
    try {
      const ch = await keptQueueChannel(setup, q);
      for (let i = 1; i <= 5; i++) ch.sendToQueue(q, Buffer.from(`task ${i}`));
      await ch.waitForConfirms();
      const wch = await worker.createChannel();
      wch.on('error', () => {});
      await wch.prefetch(5);
      let received = 0;
      await wch.consume(q, () => void received++, { noAck: false });
      await waitFor(async () => received === 5, 5_000, 50);
      const unacked = await waitFor(async () => (await queueDepth(ctx.managementUrl, q, vhostOf(ctx.amqpUrl))).unacked === 5, 15_000);
      ctx.say(`worker holds ${received} tasks unacknowledged; killing its connection`);
      severConnection(worker);
      const again: { body: string; redelivered: boolean }[] = [];
      const nch = await next.createChannel();
      await nch.consume(q, (m) => {
        if (!m) return;
        again.push({ body: m.content.toString(), redelivered: m.fields.redelivered });
        nch.ack(m);
      });
      await waitFor(async () => again.length === 5, 10_000, 50);
      // The queue stays (empty, durable: across broker restarts too) so the queues page can show it; the next run purges it first.
      return {
        ok: again.length === 5 && again.every((m) => m.redelivered),
        evidence: [
          `first worker took ${received} tasks (prefetch 5) and acknowledged none${unacked ? ' — 5 unacked on the broker' : ''}`,
          'its connection was killed mid-batch',
          `the next worker got ${again.length} of them back, redelivered=${again.map((m) => m.redelivered).join(',')}`,
        ],
      };
    } finally {
      // The killed connection never answers a close: give every close a short deadline.
      for (const c of [setup, next, worker]) await closeQuickly(c);
    }
  },
};

const poison: Step = {
  id: 'poison',
  title: 'A poison message ends in the dead-letter queue',
  lesson: 'A task that can never succeed is set aside with its reason instead of blocking the queue or crashing the worker.',
  where: 'The queues page: "Dead letters (tasks.dead)" shows the message and why it died, until someone redrives it.',
  flows: 'exchange dead-letters → queue tasks.dead (for tasks); topic events.dead (for log events)',
  async run(ctx) {
    const marker = `poison-${Date.now().toString(36)}`;
    const conn = await amqpConnect(ctx.amqpUrl);
    try {
      const ch = await conn.createConfirmChannel();
      const body = JSON.stringify({ type: 'notification', v: 1, id: marker, note: 'no recipient, no channel: no worker can send this' });
      ch.publish(EXCHANGES.notifications, 'customer.email', Buffer.from(body), { persistent: true, contentType: 'application/json' });
      await ch.waitForConfirms();
      ctx.say(`published an invalid notification ${marker}; waiting for a notifier worker to reject it`);
      const found = await waitFor(async () => (await peekQueue(ctx.managementUrl, QUEUES.tasksDead, 200, vhostOf(ctx.amqpUrl))).find((m) => m.payload.includes(marker)), 20_000, 500);
      const headers = found?.properties.headers ?? {};
      const reason = (headers['x-reason'] as string | undefined) ?? (headers['x-death'] as { reason?: string }[] | undefined)?.[0]?.reason;
      return {
        ok: Boolean(found),
        evidence: found
          ? [`${marker} is in ${QUEUES.tasksDead}`, `reason: ${reason ? summariseReason(reason) : 'not given'}`, 'the workers carried on with the tasks behind it.']
          : [`${marker} did not reach ${QUEUES.tasksDead} within 20 s: is the notifier running?`],
        details: reason ? [`full reason: ${reason}`] : undefined,
      };
    } finally {
      await conn.close().catch(() => {});
    }
  },
};

export const STEPS: Step[] = [twoGroups, stoppedConsumer, replayYesterday, queueVsLog, killedWorker, poison, transaction];

export async function runStep(id: string, ctx: WalkthroughContext): Promise<StepResult> {
  const step = STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`unknown walkthrough step ${id}`);
  try {
    return await step.run(ctx);
  } catch (err) {
    return { ok: false, evidence: [`failed: ${(err as Error).message}`] };
  }
}
