// Journey: answering a repeated question from the response cache. An owner first
// sees the editor refuse bad cache settings field by field, then creates an agent
// with the cache on, asks the same question twice in the playground — the second
// run's model step is marked as a cache hit at no cost — sees the version's cache
// settings on the agent page, and finds the hit rate on the usage page.
import { expectAccessible } from './support/accessibility';
import { expect, test } from './support/test';
import { createWorkspace, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Cary Cache', email: `cache-owner-${stamp}@e2e.test`, password: 'owner-password-1' };

test('turn the response cache on, ask the same question twice, and see the hit and the hit rate', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Cache ${stamp}`);

  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Cached helper');
  const cache = page.getByRole('group', { name: 'Response cache' });
  await cache.getByRole('checkbox', { name: /Serve repeated questions from the cache/ }).check();
  // Bad settings are refused beside their fields.
  await cache.getByLabel('Keep answers for (seconds)').fill('5');
  await cache.getByLabel('Semantic similarity threshold (0–1)').fill('1.5');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await expect(cache.getByText('Use a whole number of seconds from 10 to 2592000 (30 days)')).toBeVisible();
  await expect(cache.getByText('Use a number from 0 to 1, or leave it empty for exact matches only')).toBeVisible();
  await expectAccessible(page);

  await cache.getByLabel('Keep answers for (seconds)').fill('600');
  await cache.getByLabel('Semantic similarity threshold (0–1)').fill('0.95');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('group', { name: 'Response cache' }).getByLabel('Keep answers for (seconds)')).toHaveValue('600');
  await expect(page.getByRole('group', { name: 'Response cache' }).getByLabel('Semantic similarity threshold (0–1)')).toHaveValue('0.95');

  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);
  for (const attempt of [1, 2]) {
    await page.getByLabel('Message').fill('What are your opening hours?');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
    const step = page.getByTestId('run-step');
    await expect(step).toHaveCount(1);
    if (attempt === 1) {
      await expect(step.getByTestId('cache-hit')).toHaveCount(0);
      await expect(step).toContainText(/\d+ in · \d+ out/);
    } else {
      await expect(step.getByTestId('cache-hit')).toHaveText('Cache hit · exact match');
      await expect(step).toContainText('0 in · 0 out · $0.000000');
    }
  }
  await expectAccessible(page);

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Usage' }).click();
  await page.waitForURL('**/usage');
  const usage = page.getByTestId('usage-cache');
  await expect(usage.getByTestId('cache-hit-rate')).toHaveText('50%');
  await expect(usage).toContainText('1 of 2 chat calls answered from the cache');
  await expect(usage.getByRole('row', { name: /Cached helper/ }).getByRole('cell').nth(3)).toHaveText('50%');
  await expectAccessible(page);
});
