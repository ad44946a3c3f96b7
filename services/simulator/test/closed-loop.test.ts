import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { routeForTask, type LogEvent, type RiderInstruction } from '@riderflow/contracts';
import { encodeTask } from '@riderflow/service-kit';
import { buildProgram, resolveOptions } from '../src/cli/options.js';
import { runSimulation } from '../src/run.js';
import { generateCity } from '../src/world/city.js';
import { distance } from '@riderflow/geo';

async function until<T>(what: string, f: () => T | undefined | false, ms = 40_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('riders obey instructions sent through the task queue', () => {
  let dirs: string[] = [];
  let log: StreamlogHandle;
  let tq: TaskqueueHandle;
  beforeAll(async () => {
    dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-loop-log-')), fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-loop-tq-'))];
    log = await startStreamlog({ port: 0, dataDir: dirs[0], durability: 'none' });
    tq = await startTaskqueue({ port: 0, dataDir: dirs[1], durability: 'none' });
  });
  afterAll(async () => {
    await log?.close();
    await tq?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a pickup leads to assigned, picked_up and delivered; a reposition moves the rider; a malformed one is set aside', async () => {
    const args = ['--brokers', log.brokers, '--amqp', tq.url, '--speed', '300', '--riders', '20', '--stores', '10', '--zones', '9', '--seed', 'loop', '--start', '2025-03-03T12:00:00Z', '--duration', '3h', '--quiet'];
    const program = buildProgram({}).exitOverride();
    program.parse(args, { from: 'user' });
    const options = resolveOptions(program);
    const events: LogEvent[] = [];
    const controller = new AbortController();
    const run = runSimulation(options, { info: () => {}, progress: () => {}, signal: controller.signal, onEvents: (evs) => events.push(...evs) });
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createConfirmChannel();
      const send = async (task: RiderInstruction) => {
        const { exchange, routingKey } = routeForTask(task);
        ch.publish(exchange, routingKey, encodeTask(task), { persistent: true });
        await ch.waitForConfirms();
      };
      const idle = () => {
        const last = new Map<string, string>();
        for (const e of events) if (e.type === 'rider.location') last.set(e.riderId, e.status);
        return [...last].filter(([, s]) => s === 'idle').map(([r]) => r);
      };
      const order = await until('an order', () => events.find((e): e is Extract<LogEvent, { type: 'order.created' }> => e.type === 'order.created'));
      const [rider, mover] = await until('two idle riders', () => (idle().length >= 2 ? idle() : undefined));

      // A malformed instruction first: it must not block the ones behind it.
      ch.publish('notifications', `rider.${rider}`, Buffer.from('{"type":"rider.instruction","action":"fly"}'));
      await send({ type: 'rider.instruction', v: 1, id: 'i-1', ts: order.ts, riderId: rider, action: 'pickup', assignmentId: 'test-a1', storeId: order.storeId, storeLat: order.storeLat, storeLon: order.storeLon, orders: [{ orderId: order.orderId, dropLat: order.dropLat, dropLon: order.dropLon }] });
      const world = generateCity({ seed: 'loop', zones: 9, stores: 10, riders: 20 });
      const target = world.zones[8];
      const ll = world.projection.toLatLon(target.centre);
      await send({ type: 'rider.instruction', v: 1, id: 'i-2', ts: order.ts, riderId: mover, action: 'reposition', zoneId: target.id, lat: ll.lat, lon: ll.lon });

      const mine = () => events.filter((e) => 'orderId' in e && e.orderId === order.orderId && e.type !== 'order.ready').map((e) => e.type);
      await until('delivery', () => mine().includes('order.delivered'));
      expect(mine()).toEqual(['order.created', 'order.assigned', 'order.picked_up', 'order.delivered']);
      const assigned = events.find((e) => e.type === 'order.assigned' && e.orderId === order.orderId);
      expect(assigned).toMatchObject({ riderId: rider, assignmentId: 'test-a1' });

      const arrived = await until('the reposition', () =>
        events.find((e): e is Extract<LogEvent, { type: 'rider.location' }> => e.type === 'rider.location' && e.riderId === mover && e.status === 'idle' && e.zoneId === target.id));
      expect(distance(world.projection.toPoint(arrived.lat, arrived.lon), target.centre)).toBeLessThan(5);
      expect(events.some((e) => e.type === 'rider.location' && e.riderId === mover && e.status === 'repositioning')).toBe(true);
      // Nobody else was told anything, so nobody else delivered.
      expect(events.filter((e) => e.type === 'order.delivered').map((e) => (e as { orderId: string }).orderId)).toEqual([order.orderId]);
      let m: amqp.GetMessage | false = false;
      const deadline = Date.now() + 10_000;
      while (!m && Date.now() < deadline) {
        m = await ch.get('tasks.dead', { noAck: true });
        if (!m) await new Promise((r) => setTimeout(r, 25));
      }
      expect(m && String(m.properties.headers?.['x-reason'])).toMatch(/action/);
    } finally {
      controller.abort();
      const summary = await run;
      await conn.close().catch(() => {});
      expect(summary.instructionsReceived).toBe(2);
      expect(summary.instructionsDeadLettered).toBe(1);
      expect(summary.stats.instructionsAccepted).toBe(2);
    }
  });
});
