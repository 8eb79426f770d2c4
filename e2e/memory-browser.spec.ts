// Journey: an end user's conversation and the right to be forgotten. An owner
// runs an agent in the playground for end user "customer-42"; the second message
// continues the thread (the agent answers from the first), the memory browser
// lists the end user with that thread and its four messages, and "Forget this end
// user" deletes it all, leaving the empty state.
import { expect, test } from './support/test';
import { createWorkspace, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Mia Memory', email: `memory-owner-${stamp}@e2e.test`, password: 'owner-password-1' };

test('a playground thread for an end user shows in the memory browser, and forgetting the end user deletes it', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Memory ${stamp}`);

  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Concierge');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);

  await page.getByLabel('End user').fill('customer-42');
  await page.getByLabel('Message').fill('My name is Ada Lovelace.');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
  await expect(page.getByTestId('playground-thread')).toContainText('Continuing thread');
  await expect(page.getByLabel('End user')).toHaveValue('customer-42');

  await page.getByLabel('Message').fill('What is my name?');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-output')).toContainText('Ada Lovelace', { timeout: 30_000 });
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded');

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Memory' }).click();
  await page.waitForURL('**/memory');
  await expect(page.getByTestId('memory-end-user')).toHaveText('customer-42');
  const threads = page.getByRole('list', { name: 'Threads' });
  await expect(threads).toContainText('Concierge · 4 message(s)');
  await threads.getByRole('button', { name: 'My name is Ada Lovelace.' }).click();
  const messages = page.getByRole('list', { name: 'Messages' }).getByRole('listitem');
  await expect(messages).toHaveCount(4);
  await expect(messages.nth(2)).toContainText('What is my name?');
  await expect(page.getByText('No agent has saved a memory about this end user.')).toBeVisible();

  await page.getByRole('button', { name: 'Forget this end user' }).click();
  await page.getByRole('button', { name: 'Forget', exact: true }).click();
  await expect(page.getByText(/Forgot customer-42: 1 thread\(s\), 4 message\(s\)/)).toBeVisible();
  await expect(page.getByText('No end users yet')).toBeVisible();
  await page.reload();
  await expect(page.getByText('No end users yet')).toBeVisible();
});
