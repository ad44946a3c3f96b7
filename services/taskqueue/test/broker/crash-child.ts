// Child process for the SIGKILL test: publishes persistent messages as fast as confirms allow and
// prints each confirmed message id; the parent kills it mid-flight.

import { openBroker } from '../../src/broker/index.js';

const dir = process.argv[2];
const broker = await openBroker({ dataDir: dir, segmentBytes: 256 * 1024 });
broker.declareQueue('crash', { durable: true, exclusiveOwner: null, autoDelete: false, arguments: {} }, false, 'child');
process.stdout.write('ready\n');
let n = 0;
for (;;) {
  const batch: Promise<void>[] = [];
  const ids: number[] = [];
  for (let i = 0; i < 50; i++) {
    const id = n++;
    ids.push(id);
    batch.push(broker.publish({ exchange: '', routingKey: 'crash', properties: { deliveryMode: 2 }, body: Buffer.from(`msg-${id}-${'x'.repeat(500)}`) }).durable);
  }
  await Promise.all(batch);
  process.stdout.write(ids.map((i) => `ok ${i}\n`).join(''));
}
