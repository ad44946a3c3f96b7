import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { initBackend, RosteringEnvSchema, startRostering, type RosteringService } from '@riderflow/rostering';
import { buildProgram, resolveOptions, runSimulation } from '@riderflow/simulator';
import { root, startStack, type Stack } from './stack.js';

// The rostering page's retrain lifecycle in a real browser, against the real rostering service:
// the button enqueues a job while rostering is not yet running (queued), rostering starts, takes
// the job (running), replays three simulated days of history from the log, trains and swaps the
// model (finished), and the page names the new active model. Then the page at three screen sizes.

const shots = path.join(root, 'test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LIVE_START = Date.parse('2025-03-03T11:45:00Z');

let stack: Stack;
let browser: Browser;
let page: Page;
let rostering: RosteringService | undefined;
let conn: amqp.ChannelModel | undefined;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  stack = await startStack({ riders: 60, speed: 60 });
  // Three simulated days of history before the live start, as `npm start` writes on a fresh log.
  const program = buildProgram({});
  program.parse(['--history', '--speed', 'max', '--days', '3', '--riders', '60', '--seed', 'riderflow', '--quiet', '--brokers', stack.log.brokers,
    '--start', new Date(LIVE_START - 3 * 86_400_000).toISOString()], { from: 'user' });
  await runSimulation(resolveOptions(program, {}), { info: () => {}, progress: () => {} });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
}, 300_000);

afterAll(async () => {
  await rostering?.close();
  await conn?.close().catch(() => {});
  await browser?.close();
  await stack?.stop();
});

const statusOf = async () => (await page.locator('[data-testid=retrain-status] li').first().getAttribute('data-status').catch(() => null)) ?? '';

describe('rostering page in a real browser', () => {
  it('retrain: queued, running, finished, and the page names the active model', async () => {
    await page.goto(stack.dashboardUrl + '/rostering');
    await page.getByTestId('retrain-button').click();
    await expect.poll(() => page.getByTestId('retrain-note').textContent(), { timeout: 60_000 }).toContain('enqueued');
    // Nobody consumes jobs.rostering yet: the job waits, and the page says so.
    await expect.poll(statusOf, { timeout: 60_000 }).toBe('queued');
    expect(await page.getByTestId('retrain-status').textContent()).toContain('queued (waiting on jobs.rostering)');

    const config = loadConfig({ KAFKA_BROKERS: stack.log.brokers, AMQP_URL: stack.queues!.url, LOG_LEVEL: 'silent' });
    conn = await amqp.connect(stack.queues!.url);
    rostering = await startRostering({
      kafka: createKafka(config, 'rostering'),
      amqp: conn,
      settings: RosteringEnvSchema.parse({ ROSTERING_HTTP_PORT: '0', MODELS_DIR: path.join(stack.dir, 'models') }),
      backend: await initBackend(),
      logger: pino({ level: 'silent' }),
    });
    // Without a model the plans use a baseline, and the page says which. The retrain job was
    // queued before rostering started, so on a busy machine it can finish before the first plan:
    // then no plan was ever made by a baseline, and the model's name is checked below instead.
    const activeModel = async () => (await page.getByTestId('active-model').textContent()) ?? '';
    await expect
      .poll(async () => (await activeModel()).includes('baseline:') || (await statusOf()) === 'finished', { timeout: 240_000, interval: 1_000 })
      .toBe(true);
    if ((await statusOf()) !== 'finished') await expect.poll(statusOf, { timeout: 60_000 }).toMatch(/running|finished/);
    await expect.poll(statusOf, { timeout: 240_000, interval: 1_000 }).toBe('finished');
    const status = (await page.getByTestId('retrain-status').textContent()) ?? '';
    const version = /new model (v\w+)/.exec(status)?.[1];
    expect(version, status).toBeDefined();
    expect(status).toMatch(/held-out MAE \d+\.\d+ vs best baseline \d+\.\d+ orders per zone per 15 min/);
    // The next plans forecast with the new model; the page shows it as active and marks it in the table.
    await expect.poll(() => page.getByTestId('active-model').textContent(), { timeout: 60_000 }).toContain(version!);
    await expect.poll(() => page.getByTestId('models-table').textContent(), { timeout: 60_000 }).toContain(`${version} (active)`);
  }, 420_000);

  it('tells the truth plainly: simulated time, readable plan names, units, whole-number ticks; screenshots at three sizes', async () => {
    await expect.poll(() => page.getByTestId('current-plan').textContent(), { timeout: 60_000 }).toMatch(/^Plan for \d\d:\d\d–\d\d:\d\d, \w{3} \d+ \w{3} 2025; forecast by /);
    expect(await page.getByTestId('clock-note').textContent()).toMatch(/Times are simulated .* now \w{3} \d+ \w{3} 2025 \d\d:\d\d/);
    // Its "now" is the header's simulated clock (to the minute), not the newest order's time.
    const clocksAgree = async () => {
      const header = (await page.getByTestId('sim-clock').textContent()) ?? '';
      const note = (await page.getByTestId('clock-note').textContent()) ?? '';
      return note.includes(`now ${header.replace(', ', ' ').slice(0, -3)})`);
    };
    await expect.poll(clocksAgree, { timeout: 20_000, interval: 200 }).toBe(true);
    await expect.poll(() => page.getByTestId('city-need').textContent(), { timeout: 30_000 }).toMatch(/^(1 rider|\d+ riders) needed city-wide, \d+ on shift\.$/);
    // The rule in one sentence, with the numbers the newest plan used.
    expect(await page.getByTestId('rule-sentence').textContent()).toMatch(/one queue \(M\/M\/c\); riders needed is the fewest that keep 95 % of orders waiting under \d+ min .* with \d+\.\d rider-minutes per order and \d+\.\d min from assignment to the door/);
    expect(await page.getByTestId('calibration-rule').textContent()).toContain('npm run rostering:staffing-check');
    expect(await page.getByTestId('calibration-summary').textContent()).toMatch(/^Hours with riders on shift ≥ needed: (none yet|\d+ hours?, \d+ orders?, \d+\.\d % within 40 min)\. Hours below 0\.8 × needed: (none yet|\d+ hours?, \d+ orders?, \d+\.\d % within 40 min)\.$/);
    await expect.poll(() => page.getByTestId('forecast-mae').textContent(), { timeout: 90_000 }).toMatch(/MAE \d+\.\d+ orders per zone per 45-minute window/);
    // The actuals are drawn once a window is over, the first one too: a one-point line alone draws
    // nothing (a fresh start's chart showed only the forecast beside "over the last 1 window").
    await expect.poll(() => page.locator('[data-testid=forecast-history] .recharts-line-dot').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const body = (await page.textContent('main')) ?? (await page.textContent('body')) ?? '';
    expect(body).not.toMatch(/plan-\d{10,}/); // no raw epoch ids
    expect(body).toContain('orders per zone per 45 min');
    // Units on the axes: orders and riders, hours in simulated time.
    const axisLabels = (await page.locator('.recharts-label').allTextContents()).join(' | ');
    for (const unit of ['orders per zone per 45 min', 'riders', '% within 40 min', 'hour (simulated time)']) expect(axisLabels).toContain(unit);
    await page.mouse.move(1, 1); // no chart tooltip left open by the pointer
    for (const [w, h] of [[1280, 800], [1440, 900], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(500); // charts re-measure their container on resize
      await page.screenshot({ path: path.join(shots, `rostering-${w}x${h}.png`), fullPage: true });
      // Nothing wider than the window: no horizontal scrolling at any of the three sizes.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${w}x${h}`).toBeLessThanOrEqual(0);
    }
    // Count axes tick at whole numbers only.
    // (recharts 3 draws tick labels in their own layer, a frame after the data)
    const ticks = page.locator('[data-testid=zone-forecast] .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await expect.poll(() => ticks.count(), { timeout: 30_000 }).toBeGreaterThan(1);
    for (const t of await ticks.allTextContents()) expect(t).toMatch(/^\d+$/);
  }, 180_000);
});
