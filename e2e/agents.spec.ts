// Journey: building an agent and changing it safely.
// An owner creates an agent (version 1), edits the prompt and publishes v2 with a
// change note, reads the line diff, and rolls back: v3 carries v1's content. They
// add a snippet to the prompt library and include it; the rendered prompt shows it.
// A custom HTTP tool is added with a secret picked by name. A viewer they invite
// sees the agent, its history and the diff, with nothing to edit.
import type { Page } from '@playwright/test';
import { expect, settled, test } from './support/test';
import { createWorkspace, expectNotFound, invite, joinWithNewAccount, openSection, signOut, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Ada Agent', email: `agents-owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const viewer: Person = { name: 'Val Viewer', email: `agents-viewer-${stamp}@e2e.test`, password: 'viewer-password-1' };
const PROMPT_V1 = 'You are the support assistant of {{company}}.\nAnswer briefly.';
const PROMPT_V2 = 'You are the support assistant of {{company}}.\nAnswer in detail.';

async function openTab(page: Page, tab: 'Agents' | 'Prompts' | 'Tools' | 'Secrets', heading: string) {
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: tab }).click();
  await page.waitForURL(`**/${tab.toLowerCase()}`);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** Changed lines of the prompt diff, as their old or new line number, the marker and the text. */
const diffLines = (page: Page, op: 'added' | 'removed') => page.getByLabel('Prompt diff').locator(`[data-op="${op}"]`);

test('publish, diff and roll back an agent; include a snippet; a viewer only reads', async ({ page }) => {
  const workspaceName = `Agents ${stamp}`;
  await signUp(page, owner);
  const workspace = { name: workspaceName, path: await createWorkspace(page, workspaceName) };

  // Empty state, then a new agent: creating it publishes v1.
  await openTab(page, 'Agents', 'Agents');
  await expect(page.getByText('No agents yet')).toBeVisible();
  await page.getByRole('link', { name: 'New agent' }).click();
  await page.waitForURL('**/agents/new');
  await page.getByLabel('Name', { exact: true }).fill('Support bot');
  await page.getByLabel('System prompt').fill(PROMPT_V1);
  await page.getByLabel('Variables').fill('company = Acme');
  await page.getByLabel('Structured output (JSON schema)').fill('{"type": "array"}');
  await page.getByRole('button', { name: 'Create agent' }).click();
  // A bad schema is refused with a message beside the field, and nothing is created.
  await expect(page.getByLabel('Structured output (JSON schema)')).toHaveAccessibleDescription(/The structured output schema must describe an object/);
  await page.getByLabel('Structured output (JSON schema)').fill('');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  const agentPath = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: 'Support bot' })).toBeVisible();
  await expect(page.getByLabel('Rendered prompt')).toHaveText('You are the support assistant of Acme.\nAnswer briefly.');
  await expect(page.getByText('Publish a second version to compare it with this one.')).toBeVisible();

  // v2 with a changed prompt and a change note; the diff shows the changed line.
  await page.getByLabel('System prompt').fill(PROMPT_V2);
  await page.getByLabel('Change note').fill('More detail');
  await page.getByRole('button', { name: 'Publish new version (v2)' }).click();
  await expect(page.getByText('Published v2.')).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Version 2' })).toContainText('More detail');
  await expect(diffLines(page, 'removed')).toHaveText([/^2-Answer briefly\.$/]);
  await expect(diffLines(page, 'added')).toHaveText([/^2\+Answer in detail\.$/]);

  // Roll back to v1: published as v3, which equals v1.
  await page.getByRole('listitem', { name: 'Version 1' }).getByRole('button', { name: 'Roll back to this version' }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByText('Published v3: Rolled back to v1.')).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Version 3' })).toContainText('Rolled back to v1');
  await expect(page.getByRole('listitem', { name: 'Version 3' })).toContainText('Published');
  await expect(page.getByLabel('Rendered prompt')).toHaveText('You are the support assistant of Acme.\nAnswer briefly.');
  await page.getByLabel('From', { exact: true }).selectOption('1');
  await page.getByLabel('To', { exact: true }).selectOption('3');
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.waitForURL('**?from=1&to=3');
  await settled(page);
  await expect(page.getByText('v1 and v3 are the same')).toBeVisible();
  await page.goto(`${agentPath}?from=2&to=3`);
  await expect(diffLines(page, 'added')).toHaveText([/^2\+Answer briefly\.$/]);

  // The prompt library: a snippet, included from the prompt.
  await openTab(page, 'Prompts', 'Prompt library');
  await expect(page.getByText('No snippets yet')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('house-style');
  await page.getByLabel('Text').fill('Always sign as the {{company}} support team.');
  await page.getByRole('button', { name: 'Add snippet' }).click();
  await expect(page.getByRole('listitem', { name: 'house-style' })).toContainText('Not included anywhere');
  await page.goto(agentPath);
  await page.getByLabel('System prompt').fill(`${PROMPT_V1}\n{{> house-style}}`);
  await page.getByLabel('Change note').fill('House style');
  await page.getByRole('button', { name: 'Publish new version (v4)' }).click();
  await expect(page.getByText('Published v4.')).toBeVisible();
  await expect(page.getByLabel('Rendered prompt')).toHaveText('You are the support assistant of Acme.\nAnswer briefly.\nAlways sign as the Acme support team.');
  // An include of a snippet that does not exist is refused, beside the prompt.
  await page.getByLabel('System prompt').fill(`${PROMPT_V1}\n{{> no-such-snippet}}`);
  await page.getByRole('button', { name: 'Publish new version (v5)' }).click();
  await expect(page.getByLabel('System prompt')).toHaveAccessibleDescription('The prompt library has no snippet named "no-such-snippet".');
  await openTab(page, 'Prompts', 'Prompt library');
  await expect(page.getByRole('listitem', { name: 'house-style' })).toContainText('Included by agent Support bot');

  // A custom HTTP tool whose auth header comes from a secret picked by name.
  await openTab(page, 'Secrets', 'Secrets');
  await page.getByLabel('Name', { exact: true }).fill('SHOP_API_KEY');
  await page.getByLabel('Value', { exact: true }).fill(`shop-key-${stamp}`);
  await page.getByRole('button', { name: 'Add secret' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'SHOP_API_KEY' })).toBeVisible();
  await openTab(page, 'Tools', 'Tools');
  await expect(page.getByRole('list', { name: 'Built-in tools' })).toContainText('http_request');
  await expect(page.getByText('No custom tools yet')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('order_lookup');
  await page.getByLabel('Description').fill('Looks up an order by its number.');
  await page.getByLabel('URL template').fill('https://api.shop.example/orders/{order_id}');
  await page.getByLabel('Auth secret').selectOption('SHOP_API_KEY');
  await page.getByRole('button', { name: 'Add tool' }).click();
  const tool = page.getByRole('listitem', { name: 'order_lookup' });
  await expect(tool).toContainText('GET https://api.shop.example/orders/{order_id}');
  await expect(tool).toContainText('Authorization: Bearer <SHOP_API_KEY>');
  await expect(page.locator('body')).not.toContainText(`shop-key-${stamp}`);

  // A viewer reads the agent, its history and diffs, and can change nothing.
  await openSection(page, 'Members');
  const inviteUrl = await invite(page, viewer.email, 'viewer');
  await signOut(page);
  await joinWithNewAccount(page, inviteUrl, viewer, workspace);
  await openTab(page, 'Agents', 'Agents');
  await expect(page.getByRole('link', { name: 'New agent' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Support bot' }).click();
  await page.waitForURL(`**${agentPath}`);
  await expect(page.getByText('You can read this agent.')).toBeVisible();
  await expect(page.getByLabel('System prompt')).toBeDisabled();
  await expect(page.getByRole('button', { name: /Publish new version/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Roll back to this version' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Archive agent' })).toHaveCount(0);
  await expect(page.getByRole('listitem', { name: 'Version 4' })).toContainText('House style');
  await expect(diffLines(page, 'added')).toHaveText([/^3\+\{\{> house-style\}\}$/]);
  await openTab(page, 'Prompts', 'Prompt library');
  await expect(page.getByRole('button', { name: 'Add snippet' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await openTab(page, 'Tools', 'Tools');
  await expect(page.getByRole('button', { name: 'Add tool' })).toHaveCount(0);
  await expect(page.getByRole('listitem', { name: 'order_lookup' })).toBeVisible();
  // No new-agent page for a viewer; another or malformed agent id is simply not there.
  await expectNotFound(page, `${workspace.path}/agents/new`);
  await expectNotFound(page, `${workspace.path}/agents/00000000-0000-4000-8000-000000000000`);
  await expectNotFound(page, `${workspace.path}/agents/not-an-id`);
});
