// Runs axe (WCAG 2.0–2.2 A and AA rules) on the page as it is now and fails with
// a readable list of violations: rule, impact, and the offending elements, once
// the page's streamed title has arrived.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function expectAccessible(page: Page) {
  await page.waitForLoadState('load');
  // Next.js streams a page's metadata after its first bytes: the <title> may land
  // after 'load' when the layout does async work, so wait for it (every page has one).
  await page.waitForFunction(() => document.title.trim() !== '', undefined, { timeout: 10_000 });
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const report = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`,
  );
  expect(report, `accessibility violations on ${new URL(page.url()).pathname}`).toEqual([]);
}
