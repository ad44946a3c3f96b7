// `npm run bench:redrive`: how long a redrive of 100 dead letters takes (target: under 1 s), on the
// embedded taskqueue and, when RABBITMQ_URL is set, on RabbitMQ. The 100 are made by the broker
// (nack without requeue from a work queue), then moved back by `redrive` with confirms; prints ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { startTaskqueue } from '@riderflow/taskqueue';
import { redrive } from '../src/redrive.js';

const COUNT = Number(process.env.REDRIVE_BENCH_COUNT ?? 100);
const ROUNDS = Number(process.env.REDRIVE_BENCH_ROUNDS ?? 5);

async function bench(name: string, url: string): Promise<void> {
  const conn = await amqp.connect(url);
  const ch = await conn.createConfirmChannel();
  const p = `rf-bench-redrive-${randomBytes(3).toString('hex')}.`;
  const dlx = p + 'dlx', dead = p + 'dead', work = p + 'work', q = p + 'q';
  try {
    await ch.assertExchange(dlx, 'fanout', { durable: false });
    await ch.assertExchange(work, 'direct', { durable: false });
    await ch.assertQueue(dead, { durable: false });
    await ch.bindQueue(dead, dlx, '');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-dead-letter-exchange': dlx } });
    await ch.bindQueue(q, work, 'k');
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < COUNT; i++) ch.publish(work, 'k', Buffer.from(JSON.stringify({ i, pad: 'x'.repeat(200) })), { headers: { h: i } });
      await ch.waitForConfirms();
      for (let i = 0; i < COUNT; i++) {
        const m = await ch.get(q);
        if (m) ch.nack(m, false, false);
      }
      while ((await ch.checkQueue(dead)).messageCount < COUNT) await new Promise((r) => setTimeout(r, 5));
      const report = await redrive(conn, { queue: dead, limit: COUNT });
      if (report.movedTotal !== COUNT) throw new Error(`moved ${report.movedTotal} of ${COUNT}: ${report.summary}`);
      times.push(report.elapsedMs);
      await ch.purgeQueue(q);
    }
    times.sort((a, b) => a - b);
    console.log(`${name}: redrive of ${COUNT} dead letters, ${ROUNDS} rounds: median ${times[Math.floor(times.length / 2)]} ms, worst ${times[times.length - 1]} ms (target < 1000 ms)`);
  } finally {
    for (const x of [q, dead]) await ch.deleteQueue(x).catch(() => {});
    for (const x of [dlx, work]) await ch.deleteExchange(x).catch(() => {});
    await conn.close().catch(() => {});
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-bench-redrive-'));
const tq = await startTaskqueue({ port: 0, dataDir: dir, durability: 'none' });
try {
  await bench('taskqueue', tq.url);
} finally {
  await tq.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
if (process.env.RABBITMQ_URL) await bench('RabbitMQ', process.env.RABBITMQ_URL);
