import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { Consumer, Producer } from 'kafkajs';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  connectAmqp,
  createKafka,
  declareTopology,
  encodeEvent,
  ensureTopics,
  keyForEvent,
  routeForTask,
  runValidatedConsumer,
  TOPIC,
  type Config,
  type Logger,
  type RiderInstruction,
} from '@riderflow/contracts';
import type { ServiceSettings } from './config.js';
import { plannedTravel } from '@riderflow/geo';
import { LiveDispatcher, type DispatchOutput } from './liveDispatcher.js';

export interface DispatchServiceHandle {
  /** Port of /metrics and /healthz. */
  httpPort: number;
  stats: { assigned: number; repositioned: number; instructionsSent: number; publishFailures: number };
  close(): Promise<void>;
}

export interface DispatchServiceOptions {
  /**
   * Called once when the AMQP connection (or the instruction channel) is lost while running.
   * Every later publish would fail, so main.ts exits and lets the supervisor restart the service;
   * /healthz reports 503 from then on either way.
   */
  onConnectionLost?: (reason: string) => void;
}

/**
 * The thin service around the core: consumes order and rider events (consumer group
 * settings.groupId), runs the rolling horizon in simulated time, publishes every decision to
 * dispatch.assignments and sends every rider its instruction through the notifications exchange.
 */
export async function startDispatchService(
  config: Config,
  settings: ServiceSettings,
  logger: Logger,
  options: DispatchServiceOptions = {},
): Promise<DispatchServiceHandle> {
  const registry = new Registry();
  const decisions = new Counter({ name: 'dispatch_decisions_total', help: 'Decisions published', labelNames: ['kind'] as const, registers: [registry] });
  const failures = new Counter({ name: 'dispatch_publish_failures_total', help: 'Decisions that could not be published', registers: [registry] });
  const openOrders = new Gauge({ name: 'dispatch_open_orders', help: 'Orders known and not yet assigned', registers: [registry] });
  const riders = new Gauge({ name: 'dispatch_riders_on_shift', help: 'Riders the dispatcher knows to be on shift', registers: [registry] });
  const simTime = new Gauge({ name: 'dispatch_sim_time_ms', help: 'Simulated time (newest event timestamp)', registers: [registry] });
  const roundSeconds = new Histogram({ name: 'dispatch_round_seconds', help: 'Wall time of one dispatch round', buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2], registers: [registry] });

  const stats = { assigned: 0, repositioned: 0, instructionsSent: 0, publishFailures: 0 };
  const dispatcher = new LiveDispatcher(settings.policy, plannedTravel(settings.speedKmh));
  const kafka = createKafka(config, 'dispatch');
  let amqpConn: ChannelModel | null = null;
  let producer: Producer | null = null;
  let consumer: Consumer | null = null;
  let server: http.Server | null = null;
  let healthy = false;
  let closing = false;
  let lost = false;
  const connectionLost = (reason: string) => {
    if (closing || lost) return;
    lost = true;
    healthy = false;
    logger.error({ reason }, 'AMQP connection lost; dispatch cannot send instructions');
    options.onConnectionLost?.(reason);
  };

  const closeAll = async () => {
    closing = true;
    healthy = false;
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    await amqpConn?.close().catch(() => {});
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  };

  try {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin);
    } finally {
      await admin.disconnect();
    }
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    amqpConn = await connectAmqp(config, { connectionName: 'dispatch' });
    // amqplib rethrows 'error' events nobody listens to, which would crash the process.
    amqpConn.on('error', (err: Error) => logger.error({ err }, 'AMQP connection error'));
    amqpConn.on('close', () => connectionLost('connection closed'));
    const topologyChannel: Channel = await amqpConn.createChannel();
    topologyChannel.on('error', (err: Error) => logger.error({ err }, 'AMQP topology channel error'));
    await declareTopology(topologyChannel);
    await topologyChannel.close();
    const channel: ConfirmChannel = await amqpConn.createConfirmChannel();
    channel.on('error', (err: Error) => logger.error({ err }, 'AMQP instruction channel error'));
    // A closed channel fails every later publish: treat it like a lost connection.
    channel.on('close', () => connectionLost('instruction channel closed'));

    const publish = async (out: DispatchOutput) => {
      if (out.events.length === 0) return;
      try {
        await producer!.send({
          topic: TOPIC.dispatchAssignments,
          messages: out.events.map((e) => ({ key: keyForEvent(e), value: encodeEvent(e), timestamp: String(e.ts) })),
        });
        for (const task of out.instructions) sendInstruction(channel, task);
        await channel.waitForConfirms();
        stats.instructionsSent += out.instructions.length;
        for (const e of out.events) {
          if (e.type === 'dispatch.assigned') stats.assigned++;
          else stats.repositioned++;
          decisions.inc({ kind: e.type === 'dispatch.assigned' ? 'assign' : 'reposition' });
        }
        logger.debug({ events: out.events.length, simTime: dispatcher.simNowMs }, 'decisions published');
      } catch (err) {
        stats.publishFailures += out.events.length;
        failures.inc(out.events.length);
        // Give the orders back, so the next round dispatches them again rather than losing them.
        // A rider may still get an instruction that was sent before the failure; the simulator
        // refuses a pickup of orders that someone else has taken meanwhile.
        dispatcher.revertLastRound();
        logger.error({ err, decisions: out.events.length }, 'could not publish decisions; they will be retried');
      }
    };

    consumer = await runValidatedConsumer({
      kafka,
      groupId: settings.groupId,
      topics: [TOPIC.orderEvents, TOPIC.riderShifts, TOPIC.riderLocation],
      fromBeginning: settings.fromBeginning,
      deadLetterProducer: producer,
      logger,
      handle: async (event) => {
        dispatcher.apply(event);
        const end = roundSeconds.startTimer();
        const out = dispatcher.tick();
        end();
        simTime.set(dispatcher.simNowMs);
        openOrders.set(dispatcher.openOrders);
        riders.set(dispatcher.ridersOnShift);
        await publish(out);
      },
    });

    server = http.createServer((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: healthy, simTimeMs: dispatcher.simNowMs }));
      } else if (req.url === '/metrics') {
        registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': registry.contentType });
            res.end(text);
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(settings.httpPort, settings.httpHost, () => resolve());
    });
    healthy = !lost;
  } catch (err) {
    await closeAll();
    throw err;
  }
  return {
    httpPort: (server!.address() as AddressInfo).port,
    stats,
    close: closeAll,
  };
}

function sendInstruction(channel: ConfirmChannel, task: RiderInstruction): void {
  const { exchange, routingKey } = routeForTask(task);
  channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(task)), {
    persistent: true,
    contentType: 'application/json',
    messageId: task.id,
    timestamp: Math.floor(task.ts / 1000),
    type: task.type,
  });
}
