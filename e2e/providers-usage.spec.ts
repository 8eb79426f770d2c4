// Journey: from a fresh workspace to metered model calls. An owner opens Usage
// (empty), then Providers: the built-in local model is there without any set-up,
// and its "Test connection" answers through the gateway. A provider whose base
// URL is a private address is refused with a reason. Usage then shows the call
// with its tokens, cost and model, for every period. A viewer sees Providers
// read-only.
import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { createWorkspace, invite, joinWithNewAccount, openSection, signOut, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Paula Provider', email: `providers-owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const viewer: Person = { name: 'Uma Usage', email: `providers-viewer-${stamp}@e2e.test`, password: 'viewer-password-1' };

async function open(page: Page, section: 'Providers' | 'Usage') {
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: section }).click();
  await page.waitForURL(`**/${section.toLowerCase()}`);
  await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
}

test('owner calls the built-in model, is refused a private provider, and sees the call on Usage; a viewer reads only', async ({ page }) => {
  const workspaceName = `Metered ${stamp}`;
  await signUp(page, owner);
  const workspace = { name: workspaceName, path: await createWorkspace(page, workspaceName) };

  await open(page, 'Usage');
  await expect(page.getByText('No model calls in the last 30 days')).toBeVisible();

  await open(page, 'Providers');
  await expect(page.getByText('No providers yet')).toBeVisible();
  const tryLocal = page.getByRole('form', { name: 'Try the local model' });
  await tryLocal.getByLabel('Prompt').fill('Say hello to the e2e test');
  await tryLocal.getByRole('button', { name: 'Test connection' }).click();
  await expect(tryLocal.getByTestId('try-reply')).not.toBeEmpty();
  await expect(tryLocal.getByRole('status')).toContainText('enclave-local-chat');

  // A tenant-typed base URL on a private address is egress the operator has not allowed.
  await page.getByLabel('Name', { exact: true }).fill('in-cluster');
  await page.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await page.getByLabel('Models').fill('llama-3');
  await page.getByRole('button', { name: 'Add provider' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Refused' })).toContainText('private and internal addresses are not allowed');
  await expect(page.getByText('No providers yet')).toBeVisible();

  await open(page, 'Usage');
  const totals = page.getByTestId('usage-totals');
  await expect(totals).toContainText('Calls1');
  await expect(totals).not.toContainText('$0.0000Cost');
  const byModel = page.getByTestId('usage-by-model');
  await expect(byModel).toContainText('local / enclave-local-chat');
  await expect(page.getByRole('figure', { name: 'Tokens per day' })).toBeVisible();
  await page.getByRole('link', { name: 'Last 7 days' }).click();
  await page.waitForURL('**/usage?period=7d');
  await expect(page.getByTestId('usage-totals')).toContainText('Calls1');

  // A viewer reads providers and usage, and can change nothing.
  await openSection(page, 'Members');
  const inviteUrl = await invite(page, viewer.email, 'viewer');
  await signOut(page);
  await joinWithNewAccount(page, inviteUrl, viewer, workspace);
  await open(page, 'Providers');
  await expect(page.getByText('Only owners and admins can add, change or test providers.')).toBeVisible();
  await expect(page.getByRole('button', { name: /Add provider|Test connection|Save/ })).toHaveCount(0);
  await open(page, 'Usage');
  await expect(page.getByTestId('usage-totals')).toContainText('Calls1');
});
