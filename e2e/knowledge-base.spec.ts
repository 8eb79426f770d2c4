// Journey: answering from a knowledge base. An owner creates a knowledge base,
// uploads a Markdown file and watches it become ready, searches it and sees the
// fused passages with their vector and text ranks, then gives an agent the
// knowledge base (automatic retrieval), asks about the document in the playground
// and sees the answer cite the passage, also on the run's detail page.
import path from 'node:path';
import { createWorkspace, signUp, type Person } from './journeys';
import { expect, test } from './support/test';

const stamp = Date.now();
const owner: Person = { name: 'Kim Knowledge', email: `knowledge-owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const HANDBOOK = path.join(import.meta.dirname, '..', 'server', 'knowledge', 'test-fixtures', 'handbook.md');

test('upload a document, ask about it in the playground, and see the answer cite the passage', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Knowledge ${stamp}`);

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Knowledge' }).click();
  await page.waitForURL('**/knowledge');
  await expect(page.getByText('No knowledge bases yet')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Lamp docs');
  await page.getByRole('button', { name: 'Create knowledge base' }).click();
  await page.waitForURL(/\/knowledge\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Lamp docs' })).toBeVisible();
  await expect(page.getByText('No documents yet')).toBeVisible();

  await page.getByLabel('Files').setInputFiles(HANDBOOK);
  await expect(page.getByRole('list', { name: 'Uploads' })).toContainText('Uploaded, queued for ingestion', { timeout: 30_000 });
  const row = page.getByRole('row', { name: /handbook\.md/ });
  await expect(row).toContainText('Ready', { timeout: 90_000 });

  await page.getByLabel('Search this knowledge base').fill('restocking fee for opened lamps');
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem').first()).toContainText('Refunds');
  await expect(results.getByRole('listitem').first()).toContainText(/vector rank \d+ · text rank \d+/);

  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Lamp helper');
  await page.getByRole('group', { name: 'Knowledge bases' }).getByRole('checkbox', { name: 'Lamp docs' }).check();
  await page.getByRole('radio', { name: 'Retrieve automatically into the context' }).check();
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);

  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);
  await page.getByLabel('Message').fill('How much is the restocking fee when I return an opened lamp?');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('run-answer')).toContainText('fifteen percent restocking fee');
  const citation = page.getByTestId('run-citation').first();
  await expect(citation).toContainText('handbook.md');
  await expect(citation).toContainText('Refunds');
  await expect(citation).toContainText('fifteen percent restocking fee');

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Runs' }).click();
  await page.waitForURL('**/runs');
  await page.getByRole('link', { name: 'Lamp helper · v1' }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('run-citation').first()).toContainText('handbook.md');
});
