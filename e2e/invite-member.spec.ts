// Journey: an owner signs up, creates a workspace and invites a teammate as a
// viewer; the teammate signs up from the link (email prefilled) and joins; as a
// viewer they cannot change settings (in the UI or by calling the API directly),
// and another workspace's URL shows them the not-found page with status 404.
// Then: managing pending invitations (copy, resend, replace with a warning,
// revoke), and workspace URLs in any case.
import { expect, test } from './support/test';
import { createWorkspace, expectNotFound, invite, joinWithNewAccount, openSection, signOut, signUp } from './journeys';
import { expectAccessible } from './support/accessibility';

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

  // The used link now takes its member straight to the workspace.
  await page.goto(inviteUrl);
  await page.waitForURL(`**${workspacePath}`);
  await expect(page.getByRole('heading', { level: 1, name: workspaceName })).toBeVisible();

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

test('pending invitations: copy, resend with a fresh link, replace after a warning, revoke', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const manager = { name: 'Pat Pending', email: `pending-owner-${stamp}@e2e.test`, password: 'pending-password-1' };
  const guest = `guest-${stamp}@e2e.test`;
  await signUp(page, manager);
  const path = await createWorkspace(page, `Pending ${stamp}`);
  await openSection(page, 'Members');
  const first = await invite(page, guest, 'member');
  const row = page.getByRole('listitem').filter({ hasText: guest });
  const panel = page.getByLabel('Invitation link', { exact: true });

  // A link issued on this page can be copied from its row.
  await row.getByRole('button', { name: `Copy link for ${guest}` }).click();
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`Link for ${guest} copied`);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

  // Resend asks first, then issues a fresh link; the old one is withdrawn.
  await row.getByRole('button', { name: 'Resend' }).click();
  await row.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Send new link' }).click();
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`New link ready for ${guest}`);
  await expect(panel).toHaveCount(0);
  await row.getByRole('button', { name: `Copy link for ${guest}` }).click();
  const resent = await page.evaluate(() => navigator.clipboard.readText());
  expect(resent).toMatch(/\/invite\/[\w-]+$/);
  expect(resent).not.toBe(first);
  await expectAccessible(page);

  // Inviting the same email again warns before replacing the pending invitation.
  await page.getByLabel('Email').fill(guest.toUpperCase());
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const warning = page.getByRole('group', { name: 'Replace the pending invitation' });
  await expect(warning).toContainText(`${guest} already has a pending invitation as member`);
  await expect(warning.getByRole('button', { name: 'Replace invitation' })).toBeFocused();
  await expectAccessible(page);
  await warning.getByRole('button', { name: 'Replace invitation' }).click();
  const replaced = await panel.inputValue();
  await expect(row).toContainText('Viewer');
  await expect(page.getByRole('listitem').filter({ hasText: guest })).toHaveCount(1);

  // Revoking it removes the row and the link panel with it.
  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`Invitation for ${guest} revoked`);
  await expect(row).toHaveCount(0);
  await expect(panel).toHaveCount(0);

  // Every link issued along the way is withdrawn; the activity feed tells the story.
  for (const link of [first, resent, replaced]) {
    await page.goto(link);
    await expect(page.getByText('This invitation was withdrawn')).toBeVisible();
  }
  await page.goto(path);
  await expect(page.getByText(`revoked the invitation for ${guest}`)).toBeVisible();
  await expect(page.getByText(`replaced the pending invitation for ${guest}`)).toBeVisible();
  await expect(page.getByText(`sent ${guest} a new invitation link, withdrawing the old one`)).toBeVisible();

  // Workspace URLs are case-insensitive: any case redirects to the canonical one.
  await page.goto(`${path.toUpperCase().replace('/W/', '/w/')}/members`);
  await page.waitForURL(`**${path}/members`);
  await expect(page).toHaveTitle(`Members · Pending ${stamp} · Enclave`);
});
