// A planner process that dies between its transaction's writes and its commit: run as a child by
// planner.test.ts, it prints "wrote" once the first transaction carrying dead letters has written
// them, then never commits; the test SIGKILLs it there.
import { pino } from 'pino';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { NotificationPlanner } from '../src/planner/planner.js';

// never outlive the test: its end of our stdin closes when it exits, even by SIGKILL
process.stdin.on('close', () => process.exit(1)).resume();

const [brokers, amqpUrl, groupId, transactionalId] = process.argv.slice(2) as [string, string, string, string];
const kafka = new Kafka({ clientId: 'planner-dies', brokers: [brokers], logLevel: logLevel.NOTHING });
const real = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
const producer: Producer = {
  ...real,
  transaction: async () => {
    const txn = await real.transaction();
    let wrote = false;
    return {
      ...txn,
      send: async (record) => {
        const r = await txn.send(record);
        wrote = true;
        return r;
      },
      commit: async () => {
        if (!wrote) return txn.commit();
        process.stdout.write('wrote\n');
        await new Promise(() => {}); // stuck here until SIGKILL
      },
    };
  },
};
const planner = new NotificationPlanner({ kafka, config: { amqpUrl }, logger: pino({ level: 'silent' }), groupId, transactionalId, producer, fromBeginning: true, consumerConfig: { sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 } });
await planner.start();
