// Journey: a workspace owner makes agents redact email addresses. On the Policies
// page they set emails to "Redact", test a sentence and see the placeholder the
// model would get, save version 1 and find it in the history; then an agent whose
// prompt holds a customer's address answers in the playground with the
// placeholder, never the address.
import { expectAccessible } from './support/accessibility';
import { expect, test } from './support/test';
import { createWorkspace, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Polly Policy', email: `policy-owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const ADDRESS = 'jane.doe@example.com';

test('redact email addresses by policy, test a text, and see the effect in a run', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Policies ${stamp}`);

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Policies' }).click();
  await page.waitForURL('**/policies');
  await expect(page.getByRole('heading', { level: 1, name: 'Policies' })).toBeVisible();
  await expect(page.getByText('No saved versions yet')).toBeVisible();

  await page.getByLabel('Email addresses').selectOption('redact');
  await page.getByLabel('Text', { exact: true }).fill(`Please write to ${ADDRESS} today.`);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByTestId('policy-test-text')).toHaveText('Please write to [EMAIL_1] today.');
  const result = page.getByTestId('policy-test-result');
  await expect(result.getByRole('row', { name: new RegExp(`${ADDRESS}.*email address.*redact.*\\[EMAIL_1\\]`) })).toBeVisible();

  await page.getByRole('button', { name: 'Save as version 1' }).click();
  await expect(page.getByText('Saved version 1. New runs use it.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save as version 2' })).toBeVisible();
  const history = page.getByRole('list', { name: 'Policy versions' });
  await expect(history.getByRole('listitem').first()).toContainText('Version 1');
  await expect(history.getByRole('listitem').first()).toContainText('pii.actions.email');
  await expectAccessible(page);

  // An agent that knows a customer's address.
  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Support desk');
  await page.getByLabel('System prompt').fill(`The customer's email address is ${ADDRESS}.`);
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);

  await page.getByLabel('Message').fill("What is the customer's email address?");
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
  const answer = page.getByTestId('run-answer');
  await expect(answer).toContainText('[EMAIL_1]');
  await expect(answer).not.toContainText(ADDRESS);
});
