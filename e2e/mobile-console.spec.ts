// Journey on a phone-sized screen: an owner with a long email address uses the
// Members page. Nothing scrolls sideways (long emails wrap), and every control
// is at least 40 px tall, so it can be hit with a thumb.
import { createWorkspace, invite, openSection, signUp } from './journeys';
import { expect, test } from './support/test';

test.use({ viewport: { width: 360, height: 740 } });

const stamp = Date.now();
const longEmail = `a-remarkably-long-mailbox-name-for-wrapping-${stamp}@engineering.subsidiary.example-company.e2e.test`;

test('the members page fits a phone: long emails wrap and touch targets are at least 40 px', async ({ page }) => {
  await signUp(page, { name: 'Lou Longmail', email: longEmail, password: 'longmail-password-1' });
  await createWorkspace(page, `Phone ${stamp}`);
  await openSection(page, 'Members');
  await invite(page, `another-${longEmail}`, 'viewer');

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);

  const controls = page.locator('main button:visible, main select:visible, main input:visible, header button:visible, header nav a:visible');
  const sizes = await controls.evaluateAll((els) =>
    els.map((el) => ({ what: `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`, height: el.getBoundingClientRect().height })),
  );
  expect(sizes.length).toBeGreaterThan(5);
  expect(sizes.filter((s) => s.height < 40)).toEqual([]);
});
