import type { Channel, ChannelModel } from 'amqplib';
import type { Consumer, Producer } from 'kafkajs';
import { STATE_TOPIC, TOPIC } from '@riderflow/contracts';
import { connectAmqp, createKafka, declareTopology, ensureStateTopic, ensureTopics, runValidatedConsumer, startHealthServer, type Config, type Logger } from '@riderflow/service-kit';
import type { ServiceSettings } from './config.js';
import { plannedTravel } from '@riderflow/geo';
import { LiveDispatcher, type DispatchOutput } from './core/live-dispatcher.js';
import { DecisionPublisher } from './adapters/decision-publisher.js';
import { createDispatchMetrics } from './adapters/metrics.js';
import { RiderStateTracker } from './adapters/rider-state-tracker.js';
import { readRiderStates, RiderStateWriter } from './adapters/rider-state-topic.js';

export interface DispatchServiceHandle {
  /** Port of /metrics and /healthz. */
  httpPort: number;
  stats: { assigned: number; repositioned: number; instructionsSent: number; publishFailures: number };
  /** Riders on shift learnt from the compacted topic dispatch.rider-state before the first round. */
  restoredRiders: number;
  /** Riders the dispatcher knows to be on shift now. */
  ridersOnShift(): number;
  /** Writes the rider states changed so far to dispatch.rider-state (it also does so every 250 ms). */
  flushRiderState(): Promise<void>;
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
 * The thin shell around the live loop (core/live-dispatcher.ts): consumes order and rider events
 * (consumer group settings.groupId), feeds them to the core, publishes every decision to
 * dispatch.assignments and sends every rider its instruction through the notifications exchange.
 */
export async function startDispatchService(
  config: Config,
  settings: ServiceSettings,
  logger: Logger,
  options: DispatchServiceOptions = {},
): Promise<DispatchServiceHandle> {
  const m = createDispatchMetrics();
  const stats = { assigned: 0, repositioned: 0, instructionsSent: 0, publishFailures: 0 };
  const dispatcher = new LiveDispatcher(settings.policy, plannedTravel(settings.speedKmh));
  const kafka = createKafka(config, 'dispatch');
  let amqpConn: ChannelModel | null = null;
  let producer: Producer | null = null;
  let consumer: Consumer | null = null;
  let http: { port: number; close(): Promise<void> } | null = null;
  const tracker = new RiderStateTracker();
  let stateWriter: RiderStateWriter | null = null;
  let restoredRiders = 0;
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
    // after the consumer stopped, so the last states it learnt reach the topic
    await stateWriter?.stop();
    await producer?.disconnect().catch(() => {});
    await amqpConn?.close().catch(() => {});
    await http?.close();
  };

  try {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin);
      const changed = await ensureStateTopic(admin, STATE_TOPIC.dispatchRiderState);
      // a data dir from an earlier release: its topic keeps the configs it was created with
      if (changed.length > 0) logger.info({ topic: STATE_TOPIC.dispatchRiderState, changed }, 'state topic configs set back to the declared values');
      // Every rider's latest state before the first round: the group's committed offsets skip the
      // pings of riders that have been quiet since, and a rider pings only every few minutes.
      const saved = await readRiderStates(kafka, logger);
      for (const s of saved) {
        dispatcher.restoreRider(s);
        tracker.restore(s);
      }
      restoredRiders = dispatcher.ridersOnShift;
      logger.info({ riders: restoredRiders }, 'rider state restored from dispatch.rider-state');
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
    const channel = await amqpConn.createConfirmChannel();
    channel.on('error', (err: Error) => logger.error({ err }, 'AMQP instruction channel error'));
    // A closed channel fails every later publish: treat it like a lost connection.
    channel.on('close', () => connectionLost('instruction channel closed'));
    const publisher = new DecisionPublisher(producer, channel);
    stateWriter = new RiderStateWriter(producer, tracker, logger);
    stateWriter.start();

    const publish = async (out: DispatchOutput) => {
      if (out.events.length === 0) return;
      try {
        await publisher.publish(out);
        stats.instructionsSent += out.instructions.length;
        for (const e of out.events) {
          if (e.type === 'dispatch.assigned') stats.assigned++;
          else stats.repositioned++;
          m.decisions.inc({ kind: e.type === 'dispatch.assigned' ? 'assign' : 'reposition' });
        }
        logger.debug({ events: out.events.length, simTime: dispatcher.simNowMs }, 'decisions published');
      } catch (err) {
        stats.publishFailures += out.events.length;
        m.failures.inc(out.events.length);
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
        tracker.apply(event);
        const end = m.roundSeconds.startTimer();
        const out = dispatcher.tick();
        end();
        m.simTime.set(dispatcher.simNowMs);
        m.openOrders.set(dispatcher.openOrders);
        m.riders.set(dispatcher.ridersOnShift);
        await publish(out);
      },
    });

    // The port opens only now, once the consumer runs: the supervisor takes it as "ready".
    http = await startHealthServer({
      host: settings.httpHost,
      port: settings.httpPort,
      registry: m.registry,
      healthy: () => ({ ok: healthy, simTimeMs: dispatcher.simNowMs }),
    });
    healthy = !lost;
  } catch (err) {
    await closeAll();
    throw err;
  }
  return {
    httpPort: http.port,
    stats,
    restoredRiders,
    ridersOnShift: () => dispatcher.ridersOnShift,
    flushRiderState: () => stateWriter?.flush() ?? Promise.resolve(),
    close: closeAll,
  };
}
