// Journeys: sessions end on the server. A token saved before sign-out is
// refused afterwards by account.me, /api/auth/session and a workspace page; a
// user signed in on two devices sees both, signs out everywhere from one, and
// the other is signed out on its next request. The account page renames and
// changes the password; the operator issues a one-time reset link, recorded on
// the user's account page.
import type { APIRequestContext, BrowserContext } from '@playwright/test';
import { expect, test } from './support/test';
import { createWorkspace, signIn, signOut, signUp, type Person } from './journeys';

async function sessionCookies(context: BrowserContext): Promise<string> {
  return (await context.cookies())
    .filter((c) => c.name.includes('next-auth.session-token'))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

const NIL_UUID = '00000000-0000-4000-8000-000000000000';

/**
 * Replays a saved session cookie from outside the browser: account.me,
 * /api/auth/session, a workspace page, and the app's own routes (run events,
 * export download, audit CSV, upload), whose statuses come back by name.
 */
async function replay(request: APIRequestContext, cookie: string, workspacePath: string, workspaceId: string) {
  const me = await request.get('/api/trpc/account.me', { headers: { cookie } });
  const session = await request.get('/api/auth/session', { headers: { cookie } });
  const workspace = await request.get(workspacePath, { headers: { cookie }, maxRedirects: 0 });
  const routes = {
    events: (await request.get(`/api/runs/${NIL_UUID}/events?workspaceId=${workspaceId}`, { headers: { cookie } })).status(),
    exportDownload: (await request.get(`/api/exports/${NIL_UUID}?workspaceId=${workspaceId}`, { headers: { cookie } })).status(),
    auditCsv: (await request.get(`/api/audit/csv?workspaceId=${workspaceId}`, { headers: { cookie } })).status(),
    upload: (
      await request.post('/api/knowledge/upload', {
        headers: { cookie },
        multipart: { workspaceId, knowledgeBaseId: NIL_UUID, file: { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('a') } },
      })
    ).status(),
  };
  return { me: me.status(), session: await session.json(), workspace: workspace.status(), location: workspace.headers()['location'] ?? '', routes };
}

const person = (label: string): Person => ({
  name: `${label} Person`,
  email: `${label}-${Date.now()}@sessions.test`,
  password: 'sessions e2e password',
});

test('a session token replayed after sign-out is refused everywhere', async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const who = person('replay');
  await signUp(page, who);
  const workspacePath = await createWorkspace(page, 'Replay Works');
  const cookie = await sessionCookies(context);
  expect(cookie).not.toBe('');

  const workspaceId = (
    (await (await request.get(`/api/trpc/workspaces.bySlug?input=${encodeURIComponent(JSON.stringify({ json: { slug: workspacePath.split('/')[2] } }))}`, { headers: { cookie } })).json()) as {
      result: { data: { json: { id: string } } };
    }
  ).result.data.json.id;

  const before = await replay(request, cookie, workspacePath, workspaceId);
  expect(before.me).toBe(200);
  expect(before.session).toMatchObject({ user: { email: who.email } });
  expect(before.workspace).toBe(200);
  expect(before.routes).toEqual({ events: 404, exportDownload: 404, auditCsv: 200, upload: 404 });

  await signOut(page);
  const after = await replay(request, cookie, workspacePath, workspaceId);
  expect(after.me).toBe(401);
  expect(after.routes).toEqual({ events: 401, exportDownload: 401, auditCsv: 401, upload: 401 });
  expect(after.session).toEqual({});
  expect(after.workspace).toBeGreaterThanOrEqual(300);
  expect(after.workspace).toBeLessThan(400);
  expect(after.location).toContain('/sign-in');
  await context.close();
});

test('two devices: both listed, sign out everywhere from one, the other is out on its next request', async ({ browser, request }) => {
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();
  const who = person('devices');

  await signUp(laptopPage, who);
  await signIn(phonePage, who);
  await phonePage.waitForURL('**/new');

  await laptopPage.goto('/new');
  await laptopPage.getByRole('link', { name: who.email }).click();
  await laptopPage.waitForURL('**/account');
  const devices = laptopPage.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
  await expect(devices).toHaveCount(2);
  await expect(devices.filter({ hasText: 'This device' })).toHaveCount(1);
  const laptopCookie = await sessionCookies(laptop);

  await laptopPage.getByRole('button', { name: 'Sign out everywhere' }).click();
  await laptopPage.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Sign out everywhere' }).click();
  await laptopPage.waitForURL('**/sign-in**');

  await phonePage.goto('/account');
  await phonePage.waitForURL('**/sign-in**');
  const replayed = await request.get('/api/trpc/account.me', { headers: { cookie: laptopCookie } });
  expect(replayed.status()).toBe(401);
  await laptop.close();
  await phone.close();
});

test('the account page renames, and a password change keeps this device but signs the other out', async ({ browser }) => {
  const here = await browser.newContext();
  const there = await browser.newContext();
  const page = await here.newPage();
  const other = await there.newPage();
  const who = person('settings');
  await signUp(page, who);
  await signIn(other, who);
  await other.waitForURL('**/new');

  await page.goto('/account');
  await page.getByLabel('Name', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await page.getByLabel('Name', { exact: true }).fill('Renamed Person');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByText('Name saved.')).toBeVisible();

  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password').fill('a new sessions password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('That is not your current password')).toBeVisible();
  await expect(page.getByLabel('Current password')).toBeFocused();

  await page.getByLabel('Current password').fill(who.password);
  await page.getByLabel('New password').fill('a new sessions password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('1 other device was signed out.')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await other.goto('/new');
  await other.waitForURL('**/sign-in**');
  await here.close();
  await there.close();
});

test('the operator issues a one-time reset link; using it is recorded on the account page', async ({ browser }) => {
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  const who = person('reset');
  await signUp(userPage, who);
  await userContext.clearCookies();

  const opsContext = await browser.newContext();
  const ops = await opsContext.newPage();
  await signIn(ops, { name: 'Olivia Operator', email: 'operator@enclave.local', password: 'operator-demo-1' });
  await ops.waitForURL(/\/(new|w\/)/);
  await ops.goto(`/admin/users?q=${encodeURIComponent(who.email)}`);
  const row = ops.getByRole('list', { name: 'Accounts' }).getByRole('listitem').filter({ hasText: who.email });
  await row.getByRole('button', { name: 'Issue reset link' }).click();
  await row.getByRole('button', { name: 'Issue link' }).click();
  const link = await row.getByRole('textbox').inputValue();
  expect(link).toMatch(/\/reset-password\/[\w-]+$/);

  await userPage.goto(link);
  await userPage.getByLabel('New password').fill('reset by the operator');
  await userPage.getByRole('button', { name: 'Set new password' }).click();
  await userPage.waitForURL('**/sign-in?email=**');
  await userPage.getByLabel('Password').fill('reset by the operator');
  await userPage.getByRole('button', { name: 'Sign in' }).click();
  await userPage.waitForURL('**/new');
  await userPage.goto('/account');
  const activity = userPage.getByRole('list', { name: 'Security activity' });
  await expect(activity.getByText('Password reset link issued')).toBeVisible();
  await expect(activity.getByText('by the operator')).toBeVisible();
  await expect(activity.getByText('Password reset with a link')).toBeVisible();

  await userPage.goto(link);
  await expect(userPage.getByText('This reset link is not valid any more.')).toBeVisible();
  await ops.reload();
  await expect(ops.getByRole('list', { name: 'Security activity' }).getByText(who.email).first()).toBeVisible();
  await userContext.close();
  await opsContext.close();
});
