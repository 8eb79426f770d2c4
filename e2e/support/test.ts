// The `test` every journey spec imports: Playwright's, plus an accessibility
// check (axe, 0 violations) of whatever page a test ends on. Steps in
// e2e/journeys.ts check each page they land on, so new pages reached through
// them are covered by default.
import { test as base } from '@playwright/test';
import { expectAccessible } from './accessibility';

export const test = base.extend<{ accessibleAtEnd: void }>({
  accessibleAtEnd: [
    async ({ page }, use, testInfo) => {
      await use();
      if (testInfo.status === 'passed' && page.url().startsWith('http')) await expectAccessible(page);
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
