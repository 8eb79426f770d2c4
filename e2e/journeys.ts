// Steps the end-to-end journeys share: signing up, in and out, creating a
// workspace, moving between its sections, inviting someone and joining from the
// invitation link. Each step waits for the page it leads to, so specs read as
// the journey and never sleep. Every page a step lands on is checked with axe.
import { expect, type Page } from '@playwright/test';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { expectAccessible } from './support/accessibility';

export type Person = { name: string; email: string; password: string };

/** Fills the sign-up form (the email may already be prefilled) and submits it. */
export async function fillSignUp(page: Page, who: { name: string; password: string }) {
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Creates an account from /sign-up; having no workspace yet, the new user is asked to create one. */
export async function signUp(page: Page, who: Person) {
  await page.goto('/sign-up');
  await expectAccessible(page);
  await page.getByLabel('Email').fill(who.email);
  await fillSignUp(page, who);
  await page.waitForURL('**/new');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page);
}

/** Signs in from /sign-in; the caller waits for wherever that leads (first workspace, or /new). */
export async function signIn(page: Page, who: Person) {
  await page.goto('/sign-in');
  await expectAccessible(page);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in**');
}

/** Creates a workspace from /new and returns its path (/w/<slug>) once its home page shows. */
export async function createWorkspace(page: Page, name: string): Promise<string> {
  await page.getByLabel('Workspace name').fill(name);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL(/\/w\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expectAccessible(page);
  return new URL(page.url()).pathname;
}

/** Follows a tab of the workspace navigation. */
/** Creates an agent named Calculator that may call run_javascript, from the new-agent form; returns its page's path. */
export async function createCalculatorAgent(page: Page, workspacePath: string): Promise<string> {
  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Calculator');
  await page.getByRole('group', { name: 'Tools' }).getByRole('checkbox', { name: /run_javascript/ }).check();
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

export async function openSection(page: Page, section: 'Home' | 'Members' | 'Settings') {
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: section }).click();
  await page.waitForURL(section === 'Home' ? /\/w\/[a-z0-9-]+$/ : `**/${section.toLowerCase()}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page);
}

/** On the Members page, invites someone with a role and returns the invitation link shown. */
export async function invite(page: Page, email: string, role: WorkspaceRole): Promise<string> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const link = page.getByLabel('Invitation link', { exact: true });
  await expect(link).toHaveValue(/\/invite\/[\w-]+$/);
  await expect(page.getByRole('listitem').filter({ hasText: email })).toBeVisible();
  await expectAccessible(page);
  return link.inputValue();
}

/** On the Members page, proposes a new role for a member with the picker, saves it, and waits for the server. */
export async function changeRole(page: Page, who: { name: string; email: string }, role: WorkspaceRole) {
  const row = page.getByRole('row').filter({ hasText: who.email });
  const picker = row.getByLabel(`Role of ${who.name}`, { exact: true });
  await picker.selectOption(role);
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/members.changeRole'));
  await row.getByRole('button', { name: 'Save', exact: true }).click();
  expect((await saved).ok()).toBe(true);
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`${who.name} is now ${role}`);
  await expect(picker).toBeFocused();
  await expectAccessible(page);
}

/** Opens the workspace switcher and follows the link to another workspace. */
export async function switchWorkspace(page: Page, name: string) {
  await page.getByRole('button', { name: /^Switch workspace/ }).click();
  await page.getByRole('navigation', { name: 'Your workspaces' }).getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expectAccessible(page);
}

/**
 * Signed out, opens the invitation link, creates an account with the invited
 * email prefilled, accepts, and lands on the workspace's home page.
 */
export async function joinWithNewAccount(
  page: Page,
  inviteUrl: string,
  who: Person,
  workspace: { name: string; path: string },
) {
  await page.goto(inviteUrl);
  await expect(page.getByRole('heading', { name: `Join ${workspace.name}` })).toBeVisible();
  await expect(page.getByText(who.email)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByLabel('Email')).toHaveValue(who.email);
  await expectAccessible(page);
  await fillSignUp(page, who);
  await page.waitForURL('**/invite/**');
  await expect(page.getByRole('button', { name: 'Accept invitation' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.waitForURL(`**${workspace.path}`);
  await expect(page.getByRole('heading', { level: 1, name: workspace.name })).toBeVisible();
  await expectAccessible(page);
}

/** The workspace answers exactly like a page that does not exist: status 404 and the not-found page. */
export async function expectNotFound(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: "We couldn't find that page" })).toBeVisible();
  await expect(page).toHaveTitle('Page not found · Enclave');
  await expectAccessible(page);
}
