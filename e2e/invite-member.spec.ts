// Journey: an owner signs up, creates a workspace and invites a teammate as a
// viewer; the teammate signs up from the link (email prefilled) and joins; as a
// viewer they cannot change settings (in the UI or by calling the API directly),
// and another workspace's URL shows them the not-found page with status 404.
import { expect, test, type Page } from '@playwright/test';

const stamp = Date.now();
const owner = { name: 'Olga Owner', email: `owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const viewer = { name: 'Victor Viewer', email: `viewer-${stamp}@e2e.test`, password: 'viewer-password-1' };
const workspaceName = `Initech ${stamp}`;

async function fillSignUp(page: Page, who: { name: string; password: string }) {
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

function trpcQuery(procedure: string, input: unknown) {
  return `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

test('owner invites a viewer who joins but cannot change settings or see other workspaces', async ({ page }) => {
  // A signs up and, having no workspace yet, is asked to create one.
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(owner.email);
  await fillSignUp(page, owner);
  await page.waitForURL('**/new');

  await page.getByLabel('Workspace name').fill(workspaceName);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL(/\/w\/initech-\d+$/);
  const workspacePath = new URL(page.url()).pathname;
  const slug = workspacePath.split('/').pop()!;
  await expect(page.getByRole('heading', { level: 1, name: workspaceName })).toBeVisible();

  // A invites B as a viewer and reads the link off the page.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('Email').fill(viewer.email);
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const link = page.getByLabel('Invitation link');
  await expect(link).toHaveValue(/\/invite\/[\w-]+$/);
  const inviteUrl = await link.inputValue();
  await expect(page.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: viewer.email })).toContainText('Viewer');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in**');

  // B opens the link signed out, creates an account with the invited email prefilled, and accepts.
  await page.goto(inviteUrl);
  await expect(page.getByRole('heading', { name: `Join ${workspaceName}` })).toBeVisible();
  await expect(page.getByText(viewer.email)).toBeVisible();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByLabel('Email')).toHaveValue(viewer.email);
  await fillSignUp(page, viewer);
  await page.waitForURL('**/invite/**');
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.waitForURL(`**${workspacePath}`);
  await expect(page.getByRole('heading', { level: 1, name: workspaceName })).toBeVisible();

  // As a viewer, B sees the settings form disabled and cannot save.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText('Only owners and admins can change settings')).toBeVisible();
  await expect(page.getByLabel('Workspace name')).toBeDisabled();
  await expect(page.getByLabel('URL')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await expect(page.getByRole('heading', { name: 'Delete workspace' })).toHaveCount(0);

  // The server refuses too, whatever the UI shows.
  const resolved = await page.request.get(trpcQuery('workspaces.bySlug', { slug }));
  const workspaceId = (await resolved.json()).result.data.json.id as string;
  const attempt = await page.request.post('/api/trpc/workspaces.update', {
    data: { json: { workspaceId, name: 'Hacked' } },
  });
  expect(attempt.status()).toBe(403);
  const after = await page.request.get(trpcQuery('workspaces.get', { workspaceId }));
  expect((await after.json()).result.data.json.name).toBe(workspaceName);
  await page.reload();
  await expect(page.getByLabel('Workspace name')).toHaveValue(workspaceName);

  // Globex (a seeded demo workspace) exists, but not for B: the same 404 as a missing page.
  const response = await page.goto('/w/globex');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: "We couldn't find that page" })).toBeVisible();
});
