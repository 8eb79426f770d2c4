// Journey: managing who is in a workspace, through the console.
// 1. An owner signs up, creates a workspace and invites someone as a member, who
//    signs up from the link and joins. The owner makes them an admin on the
//    Members page (the role sticks across a reload), then removes them with the
//    inline confirmation; they are gone from the list, and for them the
//    workspace URL is now the not-found page with status 404.
// 2. A workspace's only owner cannot leave it (nor change their own role): the
//    controls are disabled with the reason. A member they invite joins and leaves from Settings:
//    they land on "create your first workspace", the workspace URL is a 404 for
//    them, and the owner no longer sees them among the members.
import { expect, test } from './support/test';
import type { Page } from '@playwright/test';
import {
  changeRole,
  createWorkspace,
  expectNotFound,
  invite,
  joinWithNewAccount,
  openSection,
  signIn,
  signOut,
  signUp,
  type Person,
} from './journeys';

const stamp = Date.now();
const SOLE_OWNER_REASON = 'You are the only owner. Make someone else an owner first.';

function people(suffix: string) {
  return {
    owner: { name: `Owen Owner ${suffix}`, email: `owner-${suffix}-${stamp}@e2e.test`, password: 'owner-password-1' },
    teammate: { name: `Mia Member ${suffix}`, email: `member-${suffix}-${stamp}@e2e.test`, password: 'member-password-1' },
  } satisfies Record<string, Person>;
}

/** A person's row in the members table (on the Members page). */
function memberRow(page: Page, who: Person) {
  return page.getByRole('row').filter({ hasText: who.email });
}

test('owner makes a member an admin, then removes them, and the workspace is a 404 for them', async ({ page }) => {
  const { owner, teammate } = people('manage');
  const name = `Hooli ${stamp}`;

  // The owner sets up a workspace and invites the teammate as a member.
  await signUp(page, owner);
  const workspace = { name, path: await createWorkspace(page, name) };
  await openSection(page, 'Members');
  const inviteUrl = await invite(page, teammate.email, 'member');
  await expect(page.getByRole('listitem').filter({ hasText: teammate.email })).toContainText('Member ·');
  await signOut(page);

  // The teammate joins from the link.
  await joinWithNewAccount(page, inviteUrl, teammate, workspace);
  await signOut(page);

  // Back as the owner: the teammate is listed as a member; make them an admin.
  await signIn(page, owner);
  await page.waitForURL(`**${workspace.path}`);
  await openSection(page, 'Members');
  await expect(page.getByRole('heading', { name: 'Members (2)' })).toBeVisible();
  const role = memberRow(page, teammate).getByLabel(`Role of ${teammate.name}`);
  await expect(role).toHaveValue('member');
  // Choosing a role only proposes it: nothing is sent until Save; Cancel puts it back.
  await role.selectOption('viewer');
  await memberRow(page, teammate).getByRole('button', { name: 'Cancel' }).click();
  await expect(role).toHaveValue('member');
  await expect(role).toBeFocused();
  await changeRole(page, teammate, 'admin');
  await expect(page).toHaveTitle(`Members · ${name} · Enclave`);
  await page.reload();
  await expect(role).toHaveValue('admin');
  await expect(role.locator('option:checked')).toHaveText('Admin');

  // Remove asks first, inline; confirming takes the teammate off the list, for good.
  const row = memberRow(page, teammate);
  await row.getByRole('button', { name: 'Remove' }).click();
  const confirm = row.getByRole('group', { name: 'Confirm' });
  await expect(confirm).toContainText(`Remove ${teammate.name}?`);
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`Removed ${teammate.name}`);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Members (1)' })).toBeVisible();
  await expect(memberRow(page, owner)).toBeVisible();
  await expect(row).toHaveCount(0);
  await signOut(page);

  // The removed teammate has no workspace left, and this one is a 404 for them.
  await signIn(page, teammate);
  await page.waitForURL('**/new');
  await expectNotFound(page, workspace.path);
});

test('the only owner cannot leave; a member leaves from Settings and loses access', async ({ page }) => {
  const { owner, teammate } = people('leave');
  const name = `Pied Piper ${stamp}`;

  // The only owner cannot leave, and is told why up front rather than refused after confirming.
  await signUp(page, owner);
  const workspace = { name, path: await createWorkspace(page, name) };
  await openSection(page, 'Settings');
  const leave = page.getByRole('button', { name: 'Leave workspace' });
  await expect(leave).toBeDisabled();
  await expect(leave).toHaveAccessibleDescription(SOLE_OWNER_REASON);
  await expect(page.getByRole('heading', { name: 'Delete workspace' })).toBeVisible();

  // Nor change their own role: the picker is disabled with the same reason.
  await openSection(page, 'Members');
  const ownRole = memberRow(page, owner).getByLabel(`Role of ${owner.name}`);
  await expect(ownRole).toBeDisabled();
  await expect(ownRole).toHaveAccessibleDescription(SOLE_OWNER_REASON);

  // The owner invites a teammate, who joins.
  const inviteUrl = await invite(page, teammate.email, 'member');
  await signOut(page);
  await joinWithNewAccount(page, inviteUrl, teammate, workspace);

  // The teammate leaves from Settings, after confirming, and lands where people without a workspace do.
  await openSection(page, 'Settings');
  await page.getByRole('button', { name: 'Leave workspace' }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Leave workspace' }).click();
  await page.waitForURL('**/new');
  await expect(page.getByRole('heading', { name: 'Create your first workspace' })).toBeVisible();
  await expectNotFound(page, workspace.path);
  await expectNotFound(page, `${workspace.path}/settings`);
  await page.goto('/new'); // the not-found page has no sign-out button
  await signOut(page);

  // The owner no longer sees them among the members.
  await signIn(page, owner);
  await page.waitForURL(`**${workspace.path}`);
  await openSection(page, 'Members');
  await expect(page.getByRole('heading', { name: 'Members (1)' })).toBeVisible();
  await expect(memberRow(page, teammate)).toHaveCount(0);
});
