import { describe, expect, it } from 'vitest';
import {
  LOG_EVENT_TYPES, TOPICS, TOPIC_NAMES, keyForEvent, parseEvent, parseTask,
  RiderInstructionSchema, routeForTask, topicForEvent, typeAllowedOnTopic,
} from '@riderflow/contracts';
import { validEvents, validTasks } from '@riderflow/contracts/examples';
import { encodeEvent, encodeTask, loadConfig, toKafkaMessage } from '../src/index.js';

describe('event schemas', () => {
  it('has a fixture for every event type', () => {
    expect(new Set(validEvents.map((e) => e.type))).toEqual(new Set(LOG_EVENT_TYPES));
  });

  it.each(validEvents.map((e) => [e.type, e] as const))('accepts a valid %s and round-trips it', (_t, event) => {
    const parsed = parseEvent(encodeEvent(event));
    expect(parsed).toEqual({ ok: true, event });
  });

  it('maps every event type to exactly one topic and keys it by entity id', () => {
    for (const e of validEvents) {
      const topic = topicForEvent(e);
      expect(TOPIC_NAMES).toContain(topic);
      expect(typeAllowedOnTopic(e.type, topic)).toBe(true);
      expect(keyForEvent(e).length).toBeGreaterThan(0);
    }
    expect(keyForEvent(validEvents[3])).toBe('o1');
    expect(keyForEvent(validEvents[0])).toBe('r1');
    expect(toKafkaMessage(validEvents[0]).timestamp).toBe('1700000000000');
    expect(typeAllowedOnTopic('order.created', 'rider.location')).toBe(false);
    expect(TOPICS['rider.location'].partitions).toBe(6);
  });

  const malformed: [string, unknown][] = [
    ['not JSON', 'hello{'],
    ['empty', ''],
    ['unknown type', JSON.stringify({ type: 'order.eaten', v: 1, id: 'x', ts: 1 })],
    ['wrong version', JSON.stringify({ ...validEvents[4], v: 2 })],
    ['missing id', JSON.stringify({ ...validEvents[4], id: undefined })],
    ['negative ts', JSON.stringify({ ...validEvents[4], ts: -5 })],
    ['bad status', JSON.stringify({ ...validEvents[0], status: 'sleeping' })],
    ['latitude out of range', JSON.stringify({ ...validEvents[0], lat: 123 })],
    ['string where number', JSON.stringify({ ...validEvents[7], clickToDoorMin: '30' })],
    ['bad cancel reason', JSON.stringify({ ...validEvents[8], reason: 'because' })],
    ['empty orderIds', JSON.stringify({ ...validEvents[10], orderIds: [] })],
    ['JSON array', '[1,2]'],
    ['JSON null', 'null'],
  ];
  it.each(malformed)('rejects %s with a reason', (_name, input) => {
    const r = parseEvent(input as string);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(3);
  });

  it('names the failing field in the reason', () => {
    const r = parseEvent(JSON.stringify({ ...validEvents[4], storeId: undefined }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/order\.ready.*storeId/);
  });

  it('refuses to encode an invalid event', () => {
    expect(() => encodeEvent({ ...validEvents[0], lat: 999 } as never)).toThrow(/rider\.location/);
  });
});

describe('task schemas', () => {
  it.each(validTasks.map((t) => [t.type, t] as const))('accepts a valid %s', (_t, task) => {
    expect(parseTask(encodeTask(task))).toEqual({ ok: true, task });
  });

  it('routes tasks to exchange and routing key', () => {
    expect(routeForTask(validTasks[0])).toEqual({ exchange: 'notifications', routingKey: 'rider.r1' });
    expect(routeForTask(validTasks[2])).toEqual({ exchange: 'notifications', routingKey: 'customer.email' });
    expect(routeForTask(validTasks[3])).toEqual({ exchange: 'jobs', routingKey: 'rostering.retrain' });
  });

  it('rejects malformed tasks', () => {
    expect(parseTask(JSON.stringify({ ...validTasks[0], action: 'dance' })).ok).toBe(false);
    expect(parseTask(JSON.stringify({ ...validTasks[0], orders: [] })).ok).toBe(false);
    expect(parseTask(JSON.stringify({ ...validTasks[2], audience: 'martians' })).ok).toBe(false);
    expect(parseTask('{{').ok).toBe(false);
    // A valid task of the wrong kind fails a narrower schema.
    expect(parseTask(encodeTask(validTasks[3]), RiderInstructionSchema).ok).toBe(false);
    expect(parseTask(encodeTask(validTasks[1]), RiderInstructionSchema).ok).toBe(true);
  });
});

describe('config', () => {
  it('has defaults that just work', () => {
    const c = loadConfig({});
    expect(c.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(c.amqpUrl).toBe('amqp://guest:guest@127.0.0.1:5673');
    expect(c.databaseUrl).toBe('file:./data/riderflow.db');
    expect(c.kafkaSasl).toBeUndefined();
  });
  it('reads env and splits brokers', () => {
    const c = loadConfig({ KAFKA_BROKERS: 'a:1, b:2', AMQP_URL: 'amqp://x', LOG_LEVEL: 'debug', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(c.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(c.logLevel).toBe('debug');
    expect(c.kafkaSasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
  });
  it('names the bad variable', () => {
    expect(() => loadConfig({ AMQP_URL: 'http://nope' })).toThrow(/AMQP_URL/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
