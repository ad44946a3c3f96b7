import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Kafka, logLevel } from 'kafkajs';
import { EXCHANGES, QUEUES, TOPIC } from '@riderflow/contracts';
import { toKafkaMessage } from '@riderflow/service-kit';
import { sqliteTestDatabase } from '@riderflow/db/testing';
import { MemoryResultPublisher, NotificationLedger, NotifierWorker, notifierTopology, simulatedProviders } from '@riderflow/notifier';
import { root, startStack, type Stack } from './stack.js';

// The dashboard in a real browser (Debian's Chromium) against a running stack: brokers,
// simulator and dashboard server. Screenshots go to test-results/screenshots.

const shots = path.join(root, 'test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: Stack;
let browser: Browser;
let page: Page;

async function queueDepth(name: string): Promise<{ ready: number; unacked: number }> {
  const u = new URL(stack.queues!.managementUrl!);
  const auth = 'Basic ' + Buffer.from(`${u.username}:${u.password}`).toString('base64');
  const res = await fetch(`${u.protocol}//${u.host}/api/queues/%2F/${encodeURIComponent(name)}`, { headers: { authorization: auth } });
  const q = (await res.json()) as { messages_ready: number; messages_unacknowledged: number };
  return { ready: q.messages_ready, unacked: q.messages_unacknowledged };
}

async function until<T>(fn: () => Promise<T | null | false | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  stack = await startStack();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('dashboard in a real browser', () => {
  it('live operations: riders on the map, KPI tiles, an event feed, and a clock that moves', async () => {
    await page.goto(stack.dashboardUrl + '/');
    await page.waitForFunction(() => Number((document.querySelector('[data-testid=city-map]') as HTMLElement | null)?.dataset.riders ?? 0) > 5, null, { timeout: 30_000 });
    // the riders are drawn: the canvas over the map has coloured pixels
    expect(await page.evaluate(() => {
      const c = document.querySelector('[data-testid=city-map] canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) painted++;
      return painted;
    })).toBeGreaterThan(20);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-feed] li').length > 0, null, { timeout: 30_000 });
    expect(await page.locator('[data-testid=kpi-tiles] .tile').count()).toBe(7);
    await expect.poll(() => page.locator('[data-testid=status-log]').textContent()).toBe('event log live');
    const clock1 = await page.locator('[data-testid=sim-clock]').textContent();
    await page.waitForFunction((c) => document.querySelector('[data-testid=sim-clock]')?.textContent !== c, clock1, { timeout: 15_000 });
    await page.screenshot({ path: path.join(shots, 'live.png'), fullPage: true });
  });

  it('the log: topics, groups, replay from a time into a new group that catches up', async () => {
    await page.goto(stack.dashboardUrl + '/log');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="topic-messages-order.events"]')?.textContent?.replace(/,/g, '') ?? 0) > 0, null, { timeout: 30_000 });
    await page.locator('[data-testid=group-dashboard]').waitFor({ timeout: 30_000 });
    await page.getByTestId('replay-button').click();
    await expect.poll(() => page.getByTestId('replay-message').textContent(), { timeout: 15_000 }).toContain('started group replay-');
    await page.locator('[data-testid=replay-row]', { hasText: 'yes' }).first().waitFor({ timeout: 60_000 });
    // the browser seeks by offset (on rider.location: every partition has records within seconds,
    // while a partition of order.events may still be empty early in a run)
    await page.locator('select[aria-label=topic]').selectOption('rider.location');
    await page.locator('select[aria-label=mode]').selectOption('offset');
    await page.locator('input[aria-label=offset]').fill('0');
    await page.getByRole('button', { name: 'read', exact: true }).click();
    // a short-lived consumer group joins, seeks and reads: slow on a loaded machine, so be patient
    await page.locator('[data-testid=message-row]').first().waitFor({ timeout: 45_000 });
    await page.screenshot({ path: path.join(shots, 'log.png'), fullPage: true });
  });

  it('the queues: live depths, dead letters peeked without consuming them, then redriven back to their queues, in words', async () => {
    const conn = await amqp.connect(stack.queues!.url);
    const ch = await conn.createConfirmChannel();
    await ch.purgeQueue(QUEUES.notifyOps);
    await ch.purgeQueue(QUEUES.notifyCustomer);
    // One dead letter the broker makes: a task nacked without requeue (x-death only).
    const body = JSON.stringify({ probe: 'dead-letter-' + Date.now() });
    ch.publish(EXCHANGES.notifications, 'ops.webhook', Buffer.from(body), { persistent: true });
    await ch.waitForConfirms();
    const msg = await until(async () => ch.get(QUEUES.notifyOps));
    ch.nack(msg, false, false); // → dead-letters → tasks.dead, with x-death

    // One the notifier makes: its provider is down, it retries once through notify.retry.1s and gives up.
    const marker = `notifier-dead-${Date.now()}`;
    const db = await sqliteTestDatabase();
    const worker = new NotifierWorker({
      amqpUrl: stack.queues!.url, topology: notifierTopology(), ledger: new NotificationLedger(db.db.prisma, 10_000),
      providers: simulatedProviders({ failureRate: 1 }), results: new MemoryResultPublisher(), prefetch: 5, maxAttempts: 2, workerId: 'browser-notifier',
    });
    await worker.start();
    const task = { type: 'notification', v: 1, id: marker, ts: Date.now(), notificationId: marker, idempotencyKey: marker, audience: 'customer', channel: 'email', recipient: 'c@example.test', template: 'order-update', data: {} };
    ch.publish(EXCHANGES.notifications, 'customer.email', Buffer.from(JSON.stringify(task)), { persistent: true });
    await ch.waitForConfirms();
    try {
      console.log('[queues] opening the page');
      await page.goto(stack.dashboardUrl + '/queues');
      await page.locator(`[data-testid="queue-${QUEUES.riderInstructions}"]`).waitFor({ timeout: 20_000 });
      await page.locator('[data-testid=dead-row]', { hasText: 'dead-letter-' }).waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid=dead-row]', { hasText: 'dead-letter-' }).textContent()).toContain('rejected');
      // The notifier's dead letter shows where it came from: notifications, customer.email (not the retry key).
      await until(async () => {
        await page.getByTestId('dead-peek-button').click();
        return (await page.locator('[data-testid=dead-row]', { hasText: marker }).count()) > 0;
      }, 60_000);
      console.log('[queues] notifier dead letter on the page');
      const row = page.locator('[data-testid=dead-row]', { hasText: marker });
      expect(await row.locator('td').nth(0).textContent()).toBe(EXCHANGES.notifications);
      expect(await row.locator('td').nth(1).textContent()).toBe('customer.email');
      expect(await row.locator('td').nth(2).textContent()).toMatch(/^provider failed 2 times .*\(from notify\.customer\), 2 attempts$/);
      expect(await row.getByTestId('dead-redriven').textContent()).toBe('never'); // the x-redriven count, shown per message
      expect((await queueDepth(QUEUES.tasksDead)).ready).toBeGreaterThanOrEqual(2); // peeking consumed nothing
      await page.screenshot({ path: path.join(shots, 'queues.png'), fullPage: true });
      await worker.stop(); // so the redriven task waits in its queue, where we can see it arrive

      console.log('[queues] redriving');
      await page.getByTestId('redrive-button').click();
      await expect.poll(() => page.getByTestId('queues-note').textContent(), { timeout: 30_000 }).toMatch(/^Moved \d+ messages back: .*1 to notifications \(customer\.email\).*; 0 left in tasks\.dead\.$/);
      expect(await page.getByTestId('queues-note').textContent()).toContain('1 to notifications (ops.webhook)');
      console.log('[queues] note:', await page.getByTestId('queues-note').textContent());
      // It left tasks.dead and arrived at notify.customer, as the page shows.
      await page.locator('[data-testid=dead-row]', { hasText: marker }).waitFor({ state: 'detached', timeout: 30_000 });
      await expect.poll(() => page.getByTestId(`ready-${QUEUES.notifyCustomer}`).textContent(), { timeout: 20_000 }).toBe('1');
      await expect.poll(() => page.getByTestId(`ready-${QUEUES.tasksDead}`).textContent(), { timeout: 20_000 }).toBe('0');
      await page.screenshot({ path: path.join(shots, 'queues-redriven.png'), fullPage: true });
      const home = await until(async () => ch.get(QUEUES.notifyCustomer, { noAck: true }));
      expect(JSON.parse(home.content.toString()).id).toBe(marker);
      expect(home.fields.routingKey).toBe('customer.email');
      expect(home.properties.headers).toMatchObject({ 'x-redriven': 1, 'x-attempt': 2 });
      const back = await until(async () => {
        const m = await ch.get(QUEUES.notifyOps, { noAck: true });
        return m && m.content.toString() === body ? m : null;
      });
      expect(back.content.toString()).toBe(body);
    } catch (err) {
      await page.screenshot({ path: path.join(shots, 'queues-failed.png'), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await worker.stop();
      await db.drop();
      await conn.close();
    }
  }, 180_000);

  it('rostering: the page renders, shows the day plan from the log, and the retrain button says why it cannot train on minutes of history', async () => {
    // The day plan is a fact on the log (rostering is not part of this stack): publish one for the simulated day.
    const day = Date.parse('2025-03-03T00:00:00Z');
    const plan = {
      type: 'roster.shift_plan' as const, v: 1 as const, id: 'browser-shift-plan', ts: day + 11 * 3_600_000, planId: 'browser-shift-plan', day, forecastSource: 'yesterday',
      hours: Array.from({ length: 24 }, (_, h) => ({ hourStart: day + h * 3_600_000, forecastOrders: h >= 11 && h < 22 ? 30 : 0, ridersNeeded: h >= 11 && h < 22 ? 12 : 0, ridersBooked: h >= 12 && h < 21 ? 10 : 0 })),
      shifts: Array.from({ length: 7 }, (_, i) => ({ riderId: `r${i}`, start: day + 12 * 3_600_000, end: day + 18 * 3_600_000 })),
    };
    const producer = new Kafka({ clientId: 'browser-test', brokers: [stack.log.brokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: TOPIC.rosterPlans, messages: [toKafkaMessage(plan)] });
    await producer.disconnect();
    await page.goto(stack.dashboardUrl + '/rostering');
    await expect.poll(() => page.getByTestId('day-plan').textContent(), { timeout: 15_000 }).toContain('7 shifts booked from the day-ahead forecast (yesterday)');
    expect(await page.getByTestId('day-plan').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    // This stack has no recorded history (minutes of live orders): the retrain is refused up front
    // in words instead of a job that would fail later in rostering (see api-words.test.ts).
    await page.getByTestId('retrain-button').click();
    await expect.poll(() => page.getByTestId('retrain-note').textContent(), { timeout: 15_000 }).toMatch(/^retrain not enqueued: Rostering needs at least 50 simulated hours of recorded orders to train/);
    expect((await queueDepth(QUEUES.jobsRostering)).ready).toBe(0);
    await page.screenshot({ path: path.join(shots, 'rostering.png'), fullPage: true });
  });

  it('walkthrough: a step runs against the live platform and shows its evidence', async () => {
    await page.goto(stack.dashboardUrl + '/walkthrough');
    await page.getByTestId('run-queue-vs-log').click();
    const evidence = page.getByTestId('evidence-queue-vs-log');
    await evidence.waitFor({ timeout: 30_000 });
    expect(await evidence.textContent()).toContain('✓ handled and acknowledged it → 0 ready, 0 unacked');
    await page.screenshot({ path: path.join(shots, 'walkthrough.png'), fullPage: true });
  });

  it('says so when a broker is stopped instead of showing stale numbers as live', async () => {
    await page.goto(stack.dashboardUrl + '/queues');
    await expect.poll(() => page.locator('[data-testid=status-queues]').textContent(), { timeout: 15_000 }).toBe('task queues live');
    expect(await page.getByTestId('not-live').count()).toBe(0);
    await stack.stopQueues();
    await page.getByTestId('not-live').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=status-queues]').textContent()).toContain('DOWN');
    await page.screenshot({ path: path.join(shots, 'queues-down.png'), fullPage: true });
  });
});
