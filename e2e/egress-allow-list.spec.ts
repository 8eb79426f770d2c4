// Journeys: a workspace's egress allow-list and the operator's private-egress grant.
// An owner lists the hosts tools may reach on the Tools page (a URL, a port or a
// private address is refused with the reason), removes one after confirming, and a
// viewer reads the list with nothing to change. The operator grants a workspace
// private-address egress from the console, after confirming, and revokes it; the
// workspace sees the change, and a tenant user cannot open that console page.
// The demo workspaces come with finished runs and usage a newcomer can read.
import type { Page } from '@playwright/test';
import { createWorkspace, expectNotFound, invite, joinWithNewAccount, openSection, signIn, signOut, signUp, type Person } from './journeys';
import { expectAccessible } from './support/accessibility';
import { expect, settled, test } from './support/test';

const stamp = Date.now();
const owner: Person = { name: 'Egon Egress', email: `egress-owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const viewer: Person = { name: 'Vera Viewer', email: `egress-viewer-${stamp}@e2e.test`, password: 'viewer-password-1' };
const operator: Person = { name: 'Olivia Operator', email: 'operator@enclave.local', password: 'operator-demo-1' };
const alice: Person = { name: 'Alice Acme', email: 'alice@acme.test', password: 'alice-demo-1' };

async function openTab(page: Page, tab: 'Tools' | 'Runs' | 'Usage') {
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: tab }).click();
  await page.waitForURL(`**/${tab.toLowerCase()}`);
  await expect(page.getByRole('heading', { level: 1, name: tab })).toBeVisible();
}

async function allowHost(page: Page, host: string) {
  const form = page.getByRole('form', { name: 'Allow a host' });
  await form.getByLabel('Host').fill(host);
  await form.getByRole('button', { name: 'Allow host' }).click();
}

test('an owner keeps the allow-list, bad entries are refused with the reason, a viewer only reads', async ({ page }) => {
  const workspaceName = `Egress ${stamp}`;
  await signUp(page, owner);
  const workspace = { name: workspaceName, path: await createWorkspace(page, workspaceName) };

  await openTab(page, 'Tools');
  await expect(page.getByText('No hosts allowed yet')).toBeVisible();
  await expectAccessible(page);

  await allowHost(page, 'https://api.example.com/v1');
  await expect(page.getByText('Enter a host only, such as api.example.com: no https://, path or credentials.')).toBeVisible();
  await expect(page.getByRole('form', { name: 'Allow a host' }).getByLabel('Host')).toHaveAttribute('aria-invalid', 'true');
  await allowHost(page, '10.0.0.8');
  await expect(page.getByText('only the platform operator can let a workspace reach private addresses')).toBeVisible();

  await allowHost(page, 'API.Example.com');
  const hosts = page.getByRole('list', { name: 'Allowed hosts' });
  await expect(hosts.getByRole('listitem', { name: 'api.example.com' })).toBeVisible();
  await allowHost(page, '*.Partner.example');
  await expect(hosts.getByRole('listitem', { name: '*.partner.example' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Allow a host' }).getByLabel('Host')).toHaveValue('');
  await expectAccessible(page);

  const partner = hosts.getByRole('listitem', { name: '*.partner.example' });
  await partner.getByRole('button', { name: 'Remove' }).click();
  await expect(partner.getByText('Remove *.partner.example? Tools can no longer reach it.')).toBeVisible();
  await partner.getByRole('button', { name: 'Remove' }).click();
  await expect(partner).toHaveCount(0);
  await expect(hosts.getByRole('listitem')).toHaveCount(1);

  await openSection(page, 'Members');
  const inviteUrl = await invite(page, viewer.email, 'viewer');
  await signOut(page);
  await joinWithNewAccount(page, inviteUrl, viewer, workspace);
  await openTab(page, 'Tools');
  await expect(page.getByRole('list', { name: 'Allowed hosts' }).getByRole('listitem', { name: 'api.example.com' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Allow a host' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove' })).toHaveCount(0);
  // The operator's console is not there for a tenant user.
  await expectNotFound(page, '/admin/workspaces');
});

test('the operator grants and revokes private-address egress for a workspace, and the workspace sees it', async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  const name = `Cluster ${stamp}`;
  await signUp(ownerPage, { name: 'Cleo Cluster', email: `egress-cluster-${stamp}@e2e.test`, password: 'owner-password-1' });
  const path = await createWorkspace(ownerPage, name);

  const opsContext = await browser.newContext();
  const ops = await opsContext.newPage();
  await signIn(ops, operator);
  await ops.waitForURL(/\/(new|w\/)/);
  await ops.goto('/admin/users');
  await settled(ops);
  await ops.getByRole('navigation', { name: 'Operator' }).getByRole('link', { name: 'Workspaces' }).click();
  await ops.waitForURL('**/admin/workspaces');
  await expect(ops.getByRole('heading', { level: 1, name: 'Workspaces' })).toBeVisible();
  await ops.getByLabel('Search by name or slug').fill(name);
  await ops.getByLabel('Search by name or slug').press('Enter');
  await ops.waitForURL('**/admin/workspaces?q=**');
  await settled(ops);
  const row = ops.getByRole('list', { name: 'Workspaces' }).getByRole('listitem', { name });
  await expect(row).toContainText('Private addresses refused');
  await expectAccessible(ops);

  await row.getByRole('button', { name: 'Grant private egress' }).click();
  await expect(row.getByText(`Let ${name} reach private addresses?`)).toBeVisible();
  await row.getByRole('button', { name: 'Grant', exact: true }).click();
  await expect(row).toContainText('Private addresses allowed');
  await expect(row.getByRole('button', { name: 'Revoke private egress' })).toBeVisible();

  // The workspace now may list an in-cluster address.
  await ownerPage.goto(`${path}/tools`);
  await settled(ownerPage);
  await expect(ownerPage.getByText('The platform operator lets this workspace reach private network addresses')).toBeVisible();
  await allowHost(ownerPage, '10.0.0.8');
  await expect(ownerPage.getByRole('list', { name: 'Allowed hosts' }).getByRole('listitem', { name: '10.0.0.8' })).toBeVisible();

  await row.getByRole('button', { name: 'Revoke private egress' }).click();
  await row.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(row).toContainText('Private addresses refused');
  await ownerPage.reload();
  await settled(ownerPage);
  await expect(ownerPage.getByText('only the platform operator can open private addresses')).toBeVisible();
  await expectAccessible(ownerPage);
  await ownerContext.close();
  await opsContext.close();
});

test('a newcomer signing in to the demo sees finished runs, their steps and usage', async ({ page }) => {
  await signIn(page, alice);
  await page.waitForURL('**/w/acme');
  await openTab(page, 'Runs');
  await expect(page.getByRole('heading', { name: 'Runs (3)' })).toBeVisible();
  const runs = page.getByRole('listitem').filter({ hasText: 'Support assistant · v2' });
  await expect(runs).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(runs.nth(i)).toContainText('succeeded');
  await runs.filter({ hasText: 'use run_javascript' }).getByRole('link', { name: 'Support assistant · v2' }).click();
  await page.waitForURL('**/w/acme/runs/**');
  // The demo version searches Acme's documentation first, then calls the tool and answers.
  const steps = page.getByTestId('run-step');
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText('knowledge_search');
  await expect(steps.nth(2)).toContainText('run_javascript');
  await expect(steps.nth(2)).toContainText('112.3');
  await expect(page.getByTestId('run-citation').first()).toContainText('Rocket Skates');
  await expect(page.getByTestId('trace-waterfall').getByTestId('trace-span')).toHaveCount(5);
  await expectAccessible(page);

  await openTab(page, 'Usage');
  await expect(page.getByTestId('usage-by-model')).toContainText('local / enclave-local-chat');
  await expect(page.getByTestId('usage-totals')).not.toContainText('Calls0');
  await openTab(page, 'Tools');
  await expect(page.getByRole('list', { name: 'Allowed hosts' }).getByRole('listitem', { name: 'api.github.com' })).toBeVisible();
});
