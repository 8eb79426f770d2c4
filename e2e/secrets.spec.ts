// Journey: keeping an API key in the workspace's vault.
// An owner opens Secrets (empty state), adds a key through a password field and
// sees it listed by name only; the value is in no page, no reload and no API
// answer. They replace the value, still never seeing it. A viewer they invite
// sees the name read-only, with no way to add, replace or delete. Back as the
// owner, deleting after the inline confirmation empties the list.
import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { createWorkspace, invite, joinWithNewAccount, openSection, signIn, signOut, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Vera Vault', email: `vault-owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const viewer: Person = { name: 'Vic Viewer', email: `vault-viewer-${stamp}@e2e.test`, password: 'viewer-password-1' };
const FIRST_VALUE = `sk-e2e-first-${stamp}-do-not-show`;
const SECOND_VALUE = `sk-e2e-second-${stamp}-do-not-show`;
const NAME = 'OPENAI_API_KEY';

/** Every response body the browser receives (pages, RSC payloads, tRPC answers), for grepping. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', async (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!/json|html|text|x-component/.test(type)) return;
    bodies.push(await response.text().catch(() => ''));
  });
  return bodies;
}

async function openSecrets(page: Page) {
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Secrets' }).click();
  await page.waitForURL('**/secrets');
  await expect(page.getByRole('heading', { level: 1, name: 'Secrets' })).toBeVisible();
}

async function expectNowhereInPage(page: Page, ...values: string[]) {
  const html = await page.content();
  for (const value of values) expect(html).not.toContain(value);
  for (const input of await page.locator('input').all()) {
    for (const value of values) expect(await input.inputValue()).not.toContain(value);
  }
}

test('owner keeps a key write-only, replaces and deletes it; a viewer only sees its name', async ({ page }) => {
  const bodies = recordResponses(page);
  const workspaceName = `Vaulted ${stamp}`;
  await signUp(page, owner);
  const workspace = { name: workspaceName, path: await createWorkspace(page, workspaceName) };
  await openSecrets(page);
  await expect(page.getByText('No secrets yet')).toBeVisible();

  // Add: listed by name, the value nowhere — not in the form, the page or a reload.
  await page.getByLabel('Name', { exact: true }).fill(NAME);
  await expect(page.getByLabel('Value', { exact: true })).toHaveAttribute('type', 'password');
  await page.getByLabel('Value', { exact: true }).fill(FIRST_VALUE);
  await page.getByRole('button', { name: 'Add secret' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved ${NAME}` })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: NAME });
  await expect(row).toContainText('Never');
  await expect(page.getByRole('heading', { name: 'Secrets (1)' })).toBeVisible();
  await expect(page.getByLabel('Value', { exact: true })).toHaveValue('');
  await expectNowhereInPage(page, FIRST_VALUE);
  const reloaded = await page.reload();
  expect(await reloaded!.text()).not.toContain(FIRST_VALUE);
  await expectNowhereInPage(page, FIRST_VALUE);

  // A bad name is refused with the rule, next to the field.
  await page.getByLabel('Name', { exact: true }).fill('not valid');
  await page.getByLabel('Value', { exact: true }).fill('whatever');
  await page.getByRole('button', { name: 'Add secret' }).click();
  await expect(page.getByText('Use 1–64 capital letters, digits or underscores')).toBeVisible();

  // Replace: the new value is taken, and shown nowhere either.
  await row.getByRole('button', { name: `Replace value of ${NAME}` }).click();
  await page.getByLabel(`New value for ${NAME}`).fill(SECOND_VALUE);
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/secrets.update'));
  await row.getByRole('button', { name: 'Save' }).click();
  expect((await saved).ok()).toBe(true);
  await expect(page.getByText(`Replaced the value of ${NAME}.`)).toBeVisible();
  await expectNowhereInPage(page, FIRST_VALUE, SECOND_VALUE);

  // A viewer sees the name, read-only.
  await openSection(page, 'Members');
  const inviteUrl = await invite(page, viewer.email, 'viewer');
  await signOut(page);
  await joinWithNewAccount(page, inviteUrl, viewer, workspace);
  await openSecrets(page);
  await expect(page.getByRole('row').filter({ hasText: NAME })).toBeVisible();
  await expect(page.getByText('Only owners and admins can add, replace or delete secrets.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add secret' })).toHaveCount(0);
  await expect(page.getByLabel('Value', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Replace value|Delete/ })).toHaveCount(0);
  await expectNowhereInPage(page, FIRST_VALUE, SECOND_VALUE);
  await signOut(page);

  // Back as the owner: delete asks first, then the list is empty.
  await signIn(page, owner);
  await page.waitForURL(`**${workspace.path}`);
  await openSecrets(page);
  await page.getByRole('row').filter({ hasText: NAME }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(`Delete ${NAME}? Anything using it stops working.`)).toBeVisible();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No secrets yet')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Secrets (0)' })).toBeVisible();

  expect(bodies.length).toBeGreaterThan(5);
  expect(bodies.filter((b) => b.includes(FIRST_VALUE) || b.includes(SECOND_VALUE))).toEqual([]);
});
