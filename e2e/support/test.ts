// The `test` every spec imports: Playwright's, plus
// - an accessibility check (axe, 0 violations) of whatever page a test ends on;
//   steps in e2e/journeys.ts check each page they land on, so new pages reached
//   through them are covered by default;
// - `page.goto` / `page.reload` that return only once React has spliced in every
//   streamed Suspense segment. React 19.2 may briefly keep a hidden copy of a
//   streamed segment (`<div hidden id="S:…">`) beside the copy it rendered itself,
//   and a locator that ran in that window would see every field twice. After any
//   other full page load (a plain GET form), call `settled(page)`.
import { test as base, type Page } from '@playwright/test';
import { expectAccessible } from './accessibility';

export const test = base.extend<{ accessibleAtEnd: void }>({
  page: async ({ page }, use) => {
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await settled(page);
      return response;
    };
    page.reload = async (options) => {
      const response = await reload(options);
      await settled(page);
      return response;
    };
    await use(page);
  },
  accessibleAtEnd: [
    async ({ page }, use, testInfo) => {
      await use();
      if (testInfo.status === 'passed' && page.url().startsWith('http')) await expectAccessible(page);
    },
    { auto: true },
  ],
});

/** Resolves once no streamed segment waits hidden in the document. */
export async function settled(page: Page) {
  if (!page.url().startsWith('http')) return;
  await page.waitForFunction(() => !document.querySelector('div[hidden][id^="S:"]'), undefined, { timeout: 10_000 });
}

export { expect } from '@playwright/test';
