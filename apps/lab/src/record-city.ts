import type { Kafka } from 'kafkajs';
import { keyForEvent, topicForEvent, type LogEvent } from '@riderflow/contracts';
import { ensureTopics } from '@riderflow/service-kit';
import type { DispatchConfig } from '@riderflow/dispatch/core';
import { Simulation, defaultDemand, generateCity } from '@riderflow/simulator';
import { runClosedLoop } from './closed-loop.js';

export interface CityRecordingOptions {
  seed: string;
  riders: number;
  stores: number;
  zones: number;
  startMs: number;
  durationMs: number;
  demandFactor?: number;
  pingIntervalMs?: number;
  cancelAfterMs?: number;
  /**
   * Statistical history before startMs, as a first `npm start` writes it (the simulator's history
   * mode: orders served by a model, no dispatcher): what rostering's day-ahead forecast needs.
   */
  historyMs?: number;
}

/**
 * A "recorded day" made in process: the generated city (its own demand and weather) with the
 * dispatch core deciding, as the live platform would with no broker latency. Tests and
 * `npm run lab -- --record` use it to put a known history on a log.
 */
export function recordCityRun(o: CityRecordingOptions, policy: DispatchConfig): LogEvent[] {
  const world = generateCity({ seed: o.seed, zones: o.zones, stores: o.stores, riders: o.riders });
  const events: LogEvent[] = [];
  if (o.historyMs) {
    const history = new Simulation(world, {
      seed: o.seed, startMs: o.startMs - o.historyMs, endMs: o.startMs, pingIntervalMs: 60_000,
      cancelAfterMs: o.cancelAfterMs ?? 20 * 60_000, demand: defaultDemand(o.riders, o.demandFactor ?? 1), weather: true, history: true,
    });
    history.advance(o.startMs, events);
  }
  const sim = new Simulation(world, {
    seed: o.seed, startMs: o.startMs, endMs: o.startMs + o.durationMs, pingIntervalMs: o.pingIntervalMs ?? 5_000,
    cancelAfterMs: o.cancelAfterMs ?? 20 * 60_000, demand: defaultDemand(o.riders, o.demandFactor ?? 1), weather: true,
  });
  runClosedLoop(sim, policy, { onEvents: (evs) => { for (const e of evs) events.push(e); } });
  return events;
}

/**
 * Puts a recording on the live topics with keys and timestamps as the simulator and dispatch
 * write them (the topics are created first): a recorded day for tests of the lab and its page.
 */
export async function publishRecorded(kafka: Kafka, events: LogEvent[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin).finally(() => admin.disconnect());
  const byTopic = new Map<string, { key: string; value: string; timestamp: string }[]>();
  for (const e of events) {
    const t = topicForEvent(e);
    if (!byTopic.has(t)) byTopic.set(t, []);
    byTopic.get(t)!.push({ key: keyForEvent(e), value: JSON.stringify(e), timestamp: String(e.ts) });
  }
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (const [topic, messages] of byTopic) for (let i = 0; i < messages.length; i += 5_000) await producer.send({ topic, messages: messages.slice(i, i + 5_000) });
  } finally {
    await producer.disconnect();
  }
}
