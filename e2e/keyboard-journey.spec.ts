// Journey by keyboard only: an owner signs in, switches workspace, invites a
// teammate and changes a member's role using nothing but Tab, Shift+Tab, Enter,
// Space, Escape and arrow keys. At every stop the focused control is the one
// expected and visibly focused, and after each action focus stays on (or returns
// to) the control that was used. The workspaces and the member are set up with
// the ordinary journey steps first.
import type { Locator, Page } from '@playwright/test';
import { createWorkspace, invite, joinWithNewAccount, openSection, signOut, signUp } from './journeys';
import { expectAccessible } from './support/accessibility';
import { expect, test } from './support/test';

const stamp = Date.now();
const owner = { name: 'Kim Keyboard', email: `kim-${stamp}@e2e.test`, password: 'keyboard-password-1' };
const teammate = { name: 'Tab Teammate', email: `tab-${stamp}@e2e.test`, password: 'teammate-password-1' };
const alpha = `Alpha Keys ${stamp}`;
const beta = `Beta Keys ${stamp}`;

/** The focused element is visibly marked: an outline or a focus ring, and :focus-visible applies. */
async function expectVisibleFocus(target: Locator) {
  await expect(target).toBeFocused();
  const marked = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return el.matches(':focus-visible') && (outline || style.boxShadow !== 'none');
  });
  expect(marked, 'focus is visible').toBe(true);
}

/** Presses Tab (or Shift+Tab) until `target` has focus, checking it is visibly focused. */
async function tabTo(page: Page, target: Locator, { backwards = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      await expectVisibleFocus(target);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

test('an owner signs in, switches workspace, invites and changes a role by keyboard alone', async ({ page }) => {
  // Set-up: the owner has two workspaces; a teammate is a member of the second.
  await signUp(page, owner);
  const betaPath = await createWorkspace(page, beta);
  await openSection(page, 'Members');
  const link = await invite(page, teammate.email, 'member');
  await page.goto('/new');
  await createWorkspace(page, alpha);
  await signOut(page);
  await joinWithNewAccount(page, link, teammate, { name: beta, path: betaPath });
  await signOut(page);

  // Sign in: Tab into the form, type, Enter submits. The first workspace by name opens.
  await page.goto('/sign-in');
  await tabTo(page, page.getByLabel('Email'));
  await page.keyboard.type(owner.email);
  await tabTo(page, page.getByLabel('Password'));
  await page.keyboard.type(owner.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/w\/alpha-keys-\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: alpha })).toBeVisible();

  // Switch workspace: the switcher opens with Enter; arrow keys and Tab move without navigating;
  // Escape closes it and returns focus; a link followed with Enter navigates.
  const switcher = page.getByRole('button', { name: `Switch workspace, current: ${alpha}` });
  await tabTo(page, switcher);
  await page.keyboard.press('Enter');
  await expect(switcher).toHaveAttribute('aria-expanded', 'true');
  const list = page.getByRole('navigation', { name: 'Your workspaces' });
  await page.keyboard.press('ArrowDown');
  await tabTo(page, list.getByRole('link', { name: new RegExp(`^${beta}`) }));
  expect(new URL(page.url()).pathname).toMatch(/\/w\/alpha-keys-\d+$/);
  await page.keyboard.press('Escape');
  await expect(switcher).toHaveAttribute('aria-expanded', 'false');
  await expectVisibleFocus(switcher);
  await page.keyboard.press('Space');
  await tabTo(page, list.getByRole('link', { name: new RegExp(`^${beta}`) }));
  await page.keyboard.press('Enter');
  await page.waitForURL(`**${betaPath}`);
  await expect(page.getByRole('heading', { level: 1, name: beta })).toBeVisible();

  // To Members through the section tabs.
  await tabTo(page, page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }));
  await page.keyboard.press('Enter');
  await page.waitForURL('**/members');
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();

  // Invite: a server-refused submit moves focus to the invalid field; fix it and submit again.
  const email = page.getByLabel('Email');
  await tabTo(page, email);
  await page.keyboard.type('not-an-email');
  await page.keyboard.press('Enter');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expectVisibleFocus(email);
  await expect(email).toHaveAccessibleDescription('Enter a valid email address');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(`guest-${stamp}@e2e.test`);
  const role = page.getByLabel('Role', { exact: true });
  await tabTo(page, role);
  await page.keyboard.press('ArrowDown'); // member → viewer
  await expect(role).toHaveValue('viewer');
  await tabTo(page, page.getByRole('button', { name: 'Invite', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Invitation link', { exact: true })).toHaveValue(/\/invite\/[\w-]+$/);
  await expect(page.getByRole('listitem').filter({ hasText: `guest-${stamp}@e2e.test` })).toContainText('Viewer');

  // Change a role: arrow keys on the picker only propose; Escape puts it back; Save saves and
  // focus stays on the picker.
  const row = page.getByRole('row').filter({ hasText: teammate.email });
  const picker = row.getByLabel(`Role of ${teammate.name}`, { exact: true });
  await tabTo(page, picker);
  await page.keyboard.press('ArrowUp'); // member → admin
  await expect(picker).toHaveValue('admin');
  await expect(row.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(picker).toHaveValue('member');
  await expectVisibleFocus(picker);
  await page.keyboard.press('ArrowUp');
  const saved = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/members.changeRole'));
  await tabTo(page, row.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  expect((await saved).ok()).toBe(true);
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`${teammate.name} is now admin`);
  await expect(picker).toHaveValue('admin');
  await expectVisibleFocus(picker);
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: teammate.email }).getByLabel(`Role of ${teammate.name}`, { exact: true })).toHaveValue('admin');
});
