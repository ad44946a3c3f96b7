import axe from 'axe-core';
import type { Page } from 'playwright-core';

// Runs axe-core (its own source injected into the page) and returns the violations of the given
// impacts, each as "rule: help (n nodes: selector…)" so a failure says what to fix.

export async function axeViolations(page: Page, impacts: string[] = ['serious', 'critical']): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} nodes: ${v.nodes.slice(0, 3).join(', ')}`);
}
