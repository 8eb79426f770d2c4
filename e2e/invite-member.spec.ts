// Journey: an owner signs up, creates a workspace and invites a teammate as a
// viewer; the teammate signs up from the link and joins; as a viewer they cannot
// change settings (in the UI or by calling the API directly), and another
// workspace's URL shows them the not-found page.
import { expect, test, type Page } from '@playwright/test';

const stamp = Date.now();
const owner = { name: 'Olga Owner', email: `owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const viewer = { name: 'Victor Viewer', email: `viewer-${stamp}@e2e.test`, password: 'viewer-password-1' };
const workspaceName = `Initech ${stamp}`;

async function signUp(page: Page, who: { name: string; email: string; password: string }) {
  await page.getByLabel('Name').fill(who.name);
  const email = page.getByLabel('Email');
  if ((await email.inputValue()) === '') await email.fill(who.email);
  await expect(email).toHaveValue(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('owner invites a viewer who joins but cannot change settings or see other workspaces', async ({ page }) => {
  await page.goto('/sign-up');
  await signUp(page, owner);
  await page.waitForURL('**/new');

  await page.getByLabel('Workspace name').fill(workspaceName);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL(/\/w\/initech-\d+$/);
  const workspaceUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: workspaceName })).toBeVisible();

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('Email').fill(viewer.email);
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Invite' }).click();
  const link = page.getByLabel('Invitation link');
  await expect(link).toHaveValue(/\/invite\/[\w-]+$/);
  const inviteUrl = await link.inputValue();
  await expect(page.getByText(viewer.email).first()).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in**');

  await page.goto(inviteUrl);
  await expect(page.getByRole('heading', { name: `Join ${workspaceName}` })).toBeVisible();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await signUp(page, viewer);
  await page.waitForURL('**/invite/**');
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.waitForURL(`**${workspaceUrl}`);
  await expect(page.getByRole('heading', { level: 1, name: workspaceName })).toBeVisible();

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText('Only owners and admins can change settings.')).toBeVisible();
  await expect(page.getByLabel('Workspace name')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();

  // The server refuses too, whatever the UI shows.
  const workspace = await page.request.get(
    `/api/trpc/workspaces.bySlug?input=${encodeURIComponent(JSON.stringify({ json: { slug: workspaceUrl.split('/').pop() } }))}`,
  );
  const workspaceId = (await workspace.json()).result.data.json.id as string;
  const attempt = await page.request.post('/api/trpc/workspaces.update', {
    data: { json: { workspaceId, name: 'Hacked' } },
  });
  expect(attempt.status()).toBe(403);
  await page.reload();
  await expect(page.getByLabel('Workspace name')).toHaveValue(workspaceName);

  // Globex (seeded demo workspace) exists, but not for this user.
  const response = await page.goto('/w/globex');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: "We couldn't find that page" })).toBeVisible();
});
