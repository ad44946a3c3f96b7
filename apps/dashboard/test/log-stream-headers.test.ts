import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { TOPIC, type LogEvent } from '@riderflow/contracts';
import { until } from './until.js';
import { LiveState } from '../server/core/live-state.js';
import { LogStream } from '../server/adapters/log-stream.js';
import { LogAdmin } from '../server/adapters/log-admin.js';
import { browse } from '../server/adapters/log-browser.js';

// A record whose header has a null value is legal Kafka (kcat -H name, librdkafka, the Java
// client); kafkajs hands the value over as null. One such record stopped the dashboard's reader of
// the whole log (the live page froze, its group went Empty) and the message browser could not show
// it. Produced here by kcat, a client we did not write, against a real streamlog.

const hasKcat = spawnSync('kcat', ['-V']).status === 0;
let dir: string;
let log: StreamlogHandle;
let kafka: Kafka;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rf-null-header-'));
  log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
  kafka = new Kafka({ clientId: 'null-header-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await log?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** kcat as a child process, asynchronously: the broker runs in this process and must answer it */
async function kcat(args: string[], input: string): Promise<void> {
  const p = spawn('kcat', ['-b', log.brokers, ...args], { timeout: 60_000 });
  let stderr = '';
  p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  p.stdin.end(input);
  const code = await new Promise((resolve) => p.once('close', resolve));
  expect(code, stderr).toBe(0);
}

const order = (n: number, ts: number): LogEvent => ({ type: 'order.created', v: 1, id: `nh-${n}`, ts, orderId: `nh-o${n}`, storeId: 's1', customerId: 'c1', zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: ts, expectedReadyAt: ts + 600_000 });

describe.skipIf(!hasKcat)('a record with a null header value', () => {
  it('is read by the dashboard’s log reader, shown with (null) in the tail and the browser, and the reader carries on past it', async () => {
    const live = new LiveState();
    const stream = new LogStream(kafka, 'dashboard-null-header', live);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await stream.start();
      // the reader starts at the log end: wait for its first fetch, so what follows is read
      await until(() => stream.lastFetchAt > 0, 'the dashboard reader fetching');
      const t0 = Date.UTC(2025, 2, 3, 12, 0);
      await kcat(['-P', '-t', TOPIC.orderEvents, '-p', '0', '-k', 'nh-o1', '-H', 'trace=abc', '-H', 'nothing'], JSON.stringify(order(1, t0)) + '\n');
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: TOPIC.orderEvents, messages: [{ partition: 0, key: 'nh-o2', value: JSON.stringify(order(2, t0 + 60_000)), timestamp: String(t0 + 60_000) }] });
      await producer.disconnect();

      const tail = await until(() => (stream.tail(TOPIC.orderEvents).length >= 2 ? stream.tail(TOPIC.orderEvents) : null), 'both records in the tail');
      expect(tail.map((r) => r.key)).toEqual(['nh-o2', 'nh-o1']);
      expect(tail[1]!.headers).toEqual({ trace: 'abc', nothing: '(null)' });
      expect(live.clock).toBe(t0 + 60_000);
      // and its group commits past both, so a restart does not read them again
      const end = (await admin.fetchTopicOffsets(TOPIC.orderEvents)).find((o) => o.partition === 0)!.high;
      await until(async () => (await admin.fetchOffsets({ groupId: 'dashboard-null-header', topics: [TOPIC.orderEvents] }))[0]!.partitions.find((p) => p.partition === 0)!.offset === end, 'offsets committed past the records');

      // the message browser shows the record at its offset
      const first = String(BigInt(end) - 2n);
      const browsed = await browse(kafka, new LogAdmin(kafka), { topic: TOPIC.orderEvents, partition: 0, offset: first, limit: 1 });
      expect(browsed.records.map((r) => [r.offset, r.key, r.headers])).toEqual([[first, 'nh-o1', { trace: 'abc', nothing: '(null)' }]]);
    } finally {
      await stream.stop();
      await admin.disconnect();
    }
  }, 180_000);
});
