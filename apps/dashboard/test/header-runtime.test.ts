import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { root, startStack, type Stack } from './stack.js';

// The header's runtime line says where the dashboard reads the log and the queues. At 1280 and
// 1440 wide it was cut off with an ellipsis, hiding the queues' address (found on the stranger's
// tour): a newcomer has to see both without hovering. Log and queues now wrap onto two lines.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(path.join(root, 'test-results/screenshots'), { recursive: true });
  // The stack's brokers are streamlog and taskqueue, as under `npm start`, which tells the dashboard
  // so; that longest line (88 characters, ~574 px) is the one that was cut. The dashboard child
  // inherits this process's environment.
  const before = process.env.EMBEDDED_ENGINES;
  process.env.EMBEDDED_ENGINES = 'log,queues';
  try {
    stack = await startStack({ simulator: false });
  } finally {
    if (before === undefined) delete process.env.EMBEDDED_ENGINES;
    else process.env.EMBEDDED_ENGINES = before;
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the header runtime line', () => {
  it('shows the log and the queues whole at 1280×800, 1440×900 and 1920×1080', async () => {
    for (const [width, height] of [[1280, 800], [1440, 900], [1920, 1080]] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      try {
        await page.goto(stack.dashboardUrl + '/walkthrough');
        const runtime = page.getByTestId('runtime');
        await runtime.waitFor({ timeout: 60_000 });
        const text = (await runtime.textContent())!.trim();
        expect(text).toMatch(/^embedded log \(streamlog, 127\.0\.0\.1:\d+\) · embedded queues \(taskqueue, 127\.0\.0\.1:\d+\)$/);
        // every element of the line, the line itself too, shows all of its text and stays on screen
        const cut = await runtime.evaluate((el) =>
          [el, ...Array.from(el.querySelectorAll('*'))]
            .filter((e) => e.scrollWidth > e.clientWidth || e.getBoundingClientRect().right > window.innerWidth)
            .map((e) => `"${e.textContent}" needs ${e.scrollWidth} px, has ${e.clientWidth}`),
        );
        expect(cut, `at ${width}×${height}`).toEqual([]);
        // and the header keeps the page below it: the line ends above the page's heading
        const lineBottom = (await runtime.boundingBox())!.y + (await runtime.boundingBox())!.height;
        const headingTop = (await page.locator('main h1').boundingBox())!.y;
        expect(lineBottom, `at ${width}×${height}`).toBeLessThan(headingTop);
        await page.screenshot({ path: path.join(root, `test-results/screenshots/header-runtime-${width}x${height}.png`), clip: { x: 0, y: 0, width, height: 140 } });
      } finally {
        await page.close();
      }
    }
  }, 180_000);
});
