import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { root, startStack, type Stack } from './stack.js';
import { axeViolations } from './axe-check.js';

// The live operations page as a first-time viewer sees it, in a real browser at three common
// screen sizes: nothing spills sideways, the map fills its panel, zone labels stay readable on
// top of every marker, the legend adds up to the fleet, the KPI tiles do not compare with a
// window nobody saw, and axe-core finds nothing serious. Screenshots go to test-results/screenshots.

const shots = path.join(root, 'test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RIDERS = 60;
// Slow enough that the first two 15-minute windows last 90 wall seconds: the KPI check runs inside them.
const SPEED = 20;
const SIZES = [[1280, 800], [1440, 900], [1920, 1080]] as const;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  stack = await startStack({ riders: RIDERS, speed: SPEED });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openLive(width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(stack.dashboardUrl + '/');
  await page.waitForFunction(() => Number((document.querySelector('[data-testid=city-map]') as HTMLElement | null)?.dataset.riders ?? 0) > 5, null, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-feed] li').length > 3, null, { timeout: 60_000 });
  return page;
}

// The page a first-time viewer opened at 1440×900, kept open: the KPI check, the 1440 layout check
// and the feed pause all read it, rather than loading the page again for each (a load and its
// first frames took 15-20 s on the loaded 2-core machine).
let at1440: Page | undefined;
async function liveAt1440(): Promise<Page> {
  if (!at1440 || at1440.isClosed()) at1440 = await openLive(1440, 900);
  return at1440;
}

interface Box { x: number; y: number; width: number; height: number }

describe('live operations for a first-time viewer', () => {
  it('KPI tiles show no change while the previous window has not been read in full', async () => {
    const page = await liveAt1440();
    const state = await page.evaluate(async () => (await (await fetch('/api/frame')).json()) as { since: number; simTime: number; windowMin: number });
    // the check is meaningful only inside the first two windows
    expect(state.simTime - state.since).toBeLessThan(2 * state.windowMin * 60_000);
    const deltas = await page.locator('[data-testid^=kpi-delta-]').evaluateAll((els) => els.map((e) => ({ has: (e as HTMLElement).dataset.hasDelta, text: e.textContent ?? '' })));
    expect(deltas).toHaveLength(7);
    for (const d of deltas) {
      expect(d.has).toBe('no');
      expect(d.text).not.toMatch(/[+−-]\s?\d/);
    }
    // counts are whole numbers; every tile says what it measures
    for (const key of ['idle', 'cancellations']) expect(await page.getByTestId(`kpi-${key}`).locator('.value').textContent()).toMatch(/^\d[\d,]*(riders|orders)$/);
    for (const title of await page.locator('[data-testid=kpi-tiles] .tile').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))) expect(title.length).toBeGreaterThan(30);
    // the header tells the moment: a simulated date and time, the speed, the runtime
    expect(await page.getByTestId('sim-clock').textContent()).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d$/);
    expect(await page.getByTestId('sim-speed').textContent()).toBe(`×${SPEED}`);
    expect(await page.getByTestId('runtime').textContent()).toMatch(/Kafka at 127\.0\.0\.1:\d+ · RabbitMQ at 127\.0\.0\.1:\d+/);
  }, 120_000);

  for (const [width, height] of SIZES) {
    it(`at ${width}×${height}: no sideways overflow, a full map, uncovered labels, a legend that adds up, no serious axe findings`, async () => {
      const page = width === 1440 ? await liveAt1440() : await openLive(width, height);
      // no horizontal overflow
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

      // the city fills its map, and the map fills its panel's width
      const fill = await page.evaluate(() => {
        const map = document.querySelector('[data-testid=city-map]')!.getBoundingClientRect();
        const panel = document.querySelector('[data-testid=city-map]')!.closest('section')!;
        const style = getComputedStyle(panel);
        const inner = panel.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const zones = Array.from(document.querySelectorAll('[data-testid=zone] rect:first-child')).map((r) => r.getBoundingClientRect());
        const left = Math.min(...zones.map((z) => z.left)), right = Math.max(...zones.map((z) => z.right));
        const top = Math.min(...zones.map((z) => z.top)), bottom = Math.max(...zones.map((z) => z.bottom));
        return { zones: zones.length, widthShare: (right - left) / map.width, heightShare: (bottom - top) / map.height, mapOfPanel: map.width / inner };
      });
      expect(fill.zones).toBe(16);
      expect(fill.widthShare).toBeGreaterThanOrEqual(0.9);
      expect(fill.heightShare).toBeGreaterThanOrEqual(0.9);
      expect(fill.mapOfPanel).toBeGreaterThanOrEqual(0.9);
      await page.getByTestId('scale-bar').waitFor();
      expect(await page.getByTestId('scale-bar').textContent()).toMatch(/^\d+(\.\d)? (m|km)$/);

      // No zone label is covered: wherever a label's box meets a marker's box (stores and orders
      // in the SVG, riders on the canvas, made hit-testable for this check), the label is on top.
      const covered = await page.evaluate(() => {
        const layers = Array.from(document.querySelectorAll<HTMLElement>('[data-testid=city-map] canvas, [data-testid=city-map] .map-labels'));
        for (const l of layers) l.style.pointerEvents = 'auto';
        const labels = Array.from(document.querySelectorAll<HTMLElement>('[data-testid=zone-label]'));
        const markerEls = Array.from(document.querySelectorAll('[data-testid=store], [data-testid=order]'));
        const problems: string[] = [];
        let checked = 0;
        for (const label of labels) {
          label.scrollIntoView({ block: 'center', inline: 'center' });
          const b = label.getBoundingClientRect();
          const markers = markerEls.map((m) => m.getBoundingClientRect());
          const points: [number, number][] = [[b.left + 2, b.top + 2], [b.right - 2, b.top + 2], [b.left + 2, b.bottom - 2], [b.right - 2, b.bottom - 2], [(b.left + b.right) / 2, (b.top + b.bottom) / 2]];
          for (const m of markers) {
            const x0 = Math.max(b.left, m.left), x1 = Math.min(b.right, m.right), y0 = Math.max(b.top, m.top), y1 = Math.min(b.bottom, m.bottom);
            if (x0 < x1 && y0 < y1) points.push([(x0 + x1) / 2, (y0 + y1) / 2]);
          }
          for (const [x, y] of points) {
            checked++;
            const top = document.elementFromPoint(x, y);
            if (!top || !label.contains(top)) problems.push(`${label.textContent} at ${Math.round(x)},${Math.round(y)} under ${top?.tagName ?? 'nothing'}`);
          }
        }
        for (const l of layers) l.style.pointerEvents = '';
        return { labels: labels.length, checked, problems };
      });
      expect(covered.labels).toBe(16);
      expect(covered.checked).toBeGreaterThanOrEqual(16 * 5);
      expect(covered.problems).toEqual([]);
      // ... and none is cut: a name or its status line wraps inside the label instead
      const cut = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('[data-testid=zone-label], [data-testid=zone-label] strong')).filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).map((e) => `${e.textContent} (${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight})`));
      expect(cut, `zone labels cut at ${width}×${height}`).toEqual([]);
      // plural-aware labels
      for (const text of await page.locator('[data-testid=zone-label]').allTextContents()) expect(text).not.toMatch(/\b1 orders\b|\b(0|[2-9]\d*) order\b/);
      // each label says what is drawn in its zone: the rings (open orders) inside its outline, a ring
      // on a border counted for the first zone (it used to say "0 orders" over assigned rings: it
      // counted orders placed in the last 15 min)
      // taken once a ring is drawn: in the first seconds after 11:45 no order is open yet, and a
      // check of labels over an empty map would prove nothing (on an idle machine the page is
      // read before the first order; under load it was not, so the test passed only when slow)
      const drawn = (await (await page.waitForFunction(() => {
        const rects = Array.from(document.querySelectorAll('[data-testid=zone]')).map((g) => {
          const r = g.querySelector('rect')!;
          const n = (a: string) => Number(r.getAttribute(a));
          return { zone: (g as HTMLElement).dataset.zone!, x: n('x'), y: n('y'), w: n('width'), h: n('height') };
        });
        const rings = new Map(rects.map((r) => [r.zone, 0]));
        for (const c of Array.from(document.querySelectorAll('[data-testid=order]'))) {
          const x = Number(c.getAttribute('cx')), y = Number(c.getAttribute('cy'));
          const r = rects.find((q) => x >= q.x && x <= q.x + q.w && y >= q.y && y <= q.y + q.h);
          if (r) rings.set(r.zone, rings.get(r.zone)! + 1);
        }
        const labels = Array.from(document.querySelectorAll<HTMLElement>('[data-testid=zone-label]')).map((l) => [l.dataset.zone!, l.textContent ?? ''] as const);
        return [...rings.values()].some((n) => n > 0) ? { rings: [...rings], labels } : null;
      }, null, { timeout: 60_000, polling: 250 })).jsonValue())!;
      expect(drawn.labels).toHaveLength(16);
      const ringsIn = new Map(drawn.rings);
      for (const [zone, text] of drawn.labels) {
        const n = ringsIn.get(zone) ?? 0;
        expect(text, `zone ${zone} with ${n} rings`).toContain(n === 0 ? 'no open orders' : `${n} open order`);
      }
      expect(drawn.rings.some(([, n]) => n > 0)).toBe(true);

      // the legend's counts add up to the fleet
      const legend = await page.evaluate(() => ({
        fleet: Number((document.querySelector('[data-testid=legend-fleet]') as HTMLElement).dataset.fleet),
        counts: Array.from(document.querySelectorAll<HTMLElement>('[data-testid=map-legend] [data-count]')).map((e) => Number(e.dataset.count)),
      }));
      expect(legend.fleet).toBe(RIDERS);
      expect(legend.counts).toHaveLength(6);
      expect(legend.counts.reduce((a, b) => a + b, 0)).toBe(RIDERS);

      // hovering the map says what is there
      const map = (await page.getByTestId('city-map').boundingBox()) as Box;
      await page.mouse.move(map.x + map.width * 0.3, map.y + map.height * 0.6);
      await page.getByTestId('map-detail').waitFor({ timeout: 5_000 });
      expect(await page.getByTestId('map-detail').textContent()).toMatch(/^(Rider|Order|Store|.+\(z\d+\))/);
      await page.mouse.move(0, 0);

      // the feed reads as sentences
      const lines = await page.locator('[data-testid=event-feed] li').allTextContents();
      expect(lines.join('\n')).not.toMatch(/order\(s\)|←|→/);

      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, `live-${width}x${height}.png`) });
      if (page !== at1440) await page.close();
    }, 150_000);
  }

  it('pauses the event feed', async () => {
    const page = await liveAt1440();
    await page.getByTestId('feed-pause').click();
    const before = await page.locator('[data-testid=event-feed]').textContent();
    // the city runs on: the server's feed gets new lines (which the paused page must not show)
    const serverFeed = () => page.evaluate(async () => JSON.stringify(((await (await fetch('/api/frame')).json()) as { feed: unknown[] }).feed));
    const atPause = await serverFeed();
    await expect.poll(serverFeed, { timeout: 60_000, interval: 250 }).not.toBe(atPause);
    const clock = await page.getByTestId('sim-clock').textContent();
    await page.waitForFunction((c) => document.querySelector('[data-testid=sim-clock]')?.textContent !== c, clock, { timeout: 20_000 });
    await page.waitForFunction((c) => document.querySelector('[data-testid=sim-clock]')?.textContent !== c, await page.getByTestId('sim-clock').textContent(), { timeout: 20_000 });
    expect(await page.locator('[data-testid=event-feed]').textContent()).toBe(before);
    expect(await page.getByTestId('feed-pause').textContent()).toBe('Resume');
    await page.getByTestId('feed-pause').click();
    expect(await page.getByTestId('feed-pause').textContent()).toBe('Pause');
  }, 120_000);

  it('a page that does not exist answers 404 in the app’s own dark theme', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const res = await page.goto(stack.dashboardUrl + '/no-such-page');
    expect(res?.status()).toBe(404);
    await page.getByTestId('not-found').waitFor();
    // It names and links the pages the navigation has, from the same list (none missing, none extra).
    const navPages = await page.locator('header nav a').allTextContents();
    expect(await page.getByTestId('not-found-pages').locator('a').allTextContents()).toEqual(navPages);
    expect(navPages).toHaveLength(6);
    expect(await page.getByTestId('not-found-pages').textContent()).toBe(`The dashboard has six pages: ${navPages.slice(0, -1).join(', ')} and ${navPages.at(-1)}.`);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 20, 32)');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'not-found.png') });
    await page.close();
  }, 60_000);
});
