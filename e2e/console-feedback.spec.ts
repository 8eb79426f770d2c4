// The console tells people what happened on the pages added with agents,
// knowledge and governance: a refused submit moves focus to the field at fault
// and says what is wrong in plain English (a schema limit the server states in
// plain words, "Must be at most 10000"), and a delete is confirmed by a
// short toast, as is cancelling a run that waits for an approval.
import type { Locator, Page } from '@playwright/test';
import { createCalculatorAgent, createWorkspace, signUp } from './journeys';
import { expect, test } from './support/test';

const stamp = Date.now();

async function signInAsAlice(page: Page) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('alice-demo-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/w/acme');
}

/** The field is marked invalid, has focus, and its message is read with it. */
async function expectFocusedError(field: Locator, message: string) {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await expect(field).toHaveAccessibleDescription(message);
}

test('refused submits focus the field in plain English, and deletes are confirmed by a toast', async ({ page }) => {
  await signInAsAlice(page);
  const toasts = page.getByRole('status', { name: 'Notifications' });

  // Providers: a priority past the schema's limit.
  await page.goto('/w/acme/providers');
  const addProvider = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add provider' }) });
  await addProvider.getByLabel('Name', { exact: true }).fill(`feedback-${stamp}`);
  await addProvider.getByLabel('Base URL').fill('https://api.example.com/v1');
  await addProvider.getByLabel('Priority').fill('99999');
  await addProvider.getByRole('button', { name: 'Add provider' }).click();
  await expectFocusedError(addProvider.getByLabel('Priority'), 'Must be at most 10000');

  // Budgets: a name over the limit; a refused duplicate is announced and focused; a delete is confirmed.
  await page.goto('/w/acme/budgets');
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('b'.repeat(81));
  await page.getByLabel('Monthly limit (USD)').fill('5');
  await page.getByRole('button', { name: 'Create budget' }).click();
  await expectFocusedError(name, 'Budget name can be at most 80 characters');
  await name.fill(`Feedback ${stamp}`);
  await page.getByRole('button', { name: 'Create budget' }).click();
  // Acme's demo data already has its workspace-wide budget: no field is to blame, so the summary takes focus.
  const refusal = page.getByRole('alert').filter({ hasText: 'The workspace already has a budget' });
  await expect(refusal).toBeFocused();
  const budget = page.getByRole('listitem', { name: 'Budget Support assistant pilot' });
  await budget.getByRole('button', { name: 'Delete', exact: true }).click();
  await budget.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(toasts).toContainText('Deleted the budget Support assistant pilot');
  await expect(budget).toHaveCount(0);

  // Knowledge: a new base, a pasted document deleted from it, then the base deleted.
  await page.goto('/w/acme/knowledge');
  await page.getByLabel('Name', { exact: true }).fill(`Feedback base ${stamp}`);
  await page.getByRole('button', { name: 'Create knowledge base' }).click();
  await page.waitForURL(/\/w\/acme\/knowledge\/[0-9a-f-]{36}$/);
  await expect(page).toHaveTitle(`Feedback base ${stamp} · Acme · Enclave`);
  await page.getByLabel('Title').fill(`Note ${stamp}`);
  await page.getByLabel('Text', { exact: true }).fill('# Returns\nItems can be returned within 30 days.');
  await page.getByRole('button', { name: 'Add text' }).click();
  const documentRow = page.getByRole('row').filter({ hasText: `Note ${stamp}` });
  await expect(documentRow).toBeVisible();
  await documentRow.getByRole('button', { name: 'Delete', exact: true }).click();
  await documentRow.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Delete' }).click();
  await expect(toasts).toContainText(`Deleted Note ${stamp}`);
  await expect(documentRow).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete knowledge base' }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Delete knowledge base' }).click();
  await page.waitForURL('**/w/acme/knowledge');
  await expect(toasts).toContainText(`Deleted Feedback base ${stamp}`);
});

test('a run waiting for an approval is cancelled after confirming, with a toast', async ({ page }) => {
  await signUp(page, { name: 'Cass Canceller', email: `cancel-${stamp}@e2e.test`, password: 'cancel-password-1' });
  const workspacePath = await createWorkspace(page, `Cancel ${stamp}`);
  const agentPath = await createCalculatorAgent(page, workspacePath);
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText('Created Calculator');
  await page.goto(`${workspacePath}/approvals`);
  const rules = page.getByRole('form', { name: 'Approval rules' });
  await rules.getByLabel('Tools that need an approval').fill('run_javascript');
  await rules.getByRole('button', { name: 'Save approval rules' }).click();
  await expect(page.getByText('From policy version 1.')).toBeVisible();

  await page.goto(`${agentPath}/playground`);
  await page.getByLabel('Message').fill('use run_javascript with code 1+2');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Awaiting approval', { timeout: 30_000 });
  await page.goto(`${workspacePath}/runs`);
  await page.getByRole('link', { name: /Calculator/ }).first().click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page).toHaveTitle(`Run of Calculator · Cancel ${stamp} · Enclave`);

  const cancel = page.getByRole('button', { name: 'Cancel run' });
  await cancel.click();
  const confirm = page.getByRole('group', { name: 'Confirm' });
  await expect(confirm.getByRole('button', { name: 'Yes, cancel the run' })).toBeFocused();
  await page.keyboard.press('Escape'); // changing one's mind leaves the run alone
  await expect(cancel).toBeFocused();
  await cancel.click();
  await confirm.getByRole('button', { name: 'Yes, cancel the run' }).click();
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText('Run cancelled');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Cancelled while it waited for an approval.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);
});
