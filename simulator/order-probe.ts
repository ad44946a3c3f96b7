import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startStreamlog } from '@riderflow/streamlog';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-probe-'));
const log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
const kafka = new Kafka({ clientId: 'p', brokers: [log.brokers], logLevel: logLevel.WARN });
const admin = kafka.admin(); await admin.connect(); await admin.createTopics({ topics: [{ topic: 't', numPartitions: 2 }], waitForLeaders: true }); await admin.disconnect();
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }); await producer.connect();
let n = 0; const sends: Promise<unknown>[] = [];
await producer.sendBatch({ topicMessages: [{ topic: 't', messages: [{ key: 'k', value: String(n++) }] }], acks: 1 });
for (let b = 0; b < 40; b++) {
  const messages = Array.from({ length: 3000 }, () => ({ key: 'k', value: String(n++) }));
  sends.push(producer.sendBatch({ topicMessages: [{ topic: 't', messages }], acks: 1 }));
  if (sends.length >= 4) await sends.shift();
}
await Promise.all(sends);
const consumer = kafka.consumer({ groupId: 'g' }); await consumer.connect(); await consumer.subscribe({ topics: ['t'], fromBeginning: true });
let last = -1, got = 0, inversions = 0;
await consumer.run({ eachMessage: async ({ message }) => { const v = Number(message.value); if (v < last) { if (inversions++ < 5) console.log('inversion at offset', message.offset, v, 'after', last); } last = v; got++; } });
while (got < n) await new Promise(r => setTimeout(r, 100));
console.log('got', got, 'inversions', inversions);
await consumer.disconnect(); await producer.disconnect(); await log.close(); fs.rmSync(dir, { recursive: true, force: true });
