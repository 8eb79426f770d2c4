// Journey: an owner signs up, creates a workspace and invites a teammate as a
// viewer; the teammate signs up from the link (email prefilled) and joins; as a
// viewer they cannot change settings (in the UI or by calling the API directly),
// and another workspace's URL shows them the not-found page with status 404.
import { expect, test } from './support/test';
import { createWorkspace, expectNotFound, invite, joinWithNewAccount, openSection, signOut, signUp } from './journeys';

const stamp = Date.now();
const owner = { name: 'Olga Owner', email: `owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const viewer = { name: 'Victor Viewer', email: `viewer-${stamp}@e2e.test`, password: 'viewer-password-1' };
const workspaceName = `Initech ${stamp}`;

function trpcQuery(procedure: string, input: unknown) {
  return `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

test('owner invites a viewer who joins but cannot change settings or see other workspaces', async ({ page }) => {
  // A signs up and, having no workspace yet, is asked to create one.
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, workspaceName);
  expect(workspacePath).toMatch(/^\/w\/initech-\d+$/);
  const slug = workspacePath.split('/').pop()!;

  // A invites B as a viewer and reads the link off the page.
  await openSection(page, 'Members');
  const inviteUrl = await invite(page, viewer.email, 'viewer');
  await expect(page.getByRole('button', { name: 'Copy link', exact: true })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: viewer.email })).toContainText('Viewer');

  await signOut(page);

  // B opens the link signed out, creates an account with the invited email prefilled, and accepts.
  await joinWithNewAccount(page, inviteUrl, viewer, { name: workspaceName, path: workspacePath });

  // As a viewer, B sees the settings form disabled and cannot save.
  await openSection(page, 'Settings');
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
  await expectNotFound(page, '/w/globex');
});
