// Journey: trying an agent in the playground. An owner creates an agent that may
// run JavaScript, opens its playground, asks it to use the tool, and watches the
// run stream in: the status, the model call with tokens and cost, the tool call
// with its arguments and result, the final answer, and the run's trace waterfall
// beside it; then finds the run on the runs page with its filters and opens its
// detail, trace included.
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/accessibility';
import { expect, test } from './support/test';
import { createWorkspace, signUp, type Person } from './journeys';

const stamp = Date.now();
/** The waterfall of a finished run with one tool call: the run, then model, tool, model under it. */
async function expectToolRunTrace(page: Page) {
  const waterfall = page.getByTestId('trace-waterfall');
  await expect(waterfall).toBeVisible();
  const spans = waterfall.getByTestId('trace-span');
  await expect(spans).toHaveCount(4, { timeout: 15_000 });
  await expect(spans.nth(0)).toHaveAttribute('data-kind', 'run');
  await expect(spans.nth(0)).toHaveAttribute('data-status', 'ok');
  await expect(spans.nth(0)).toContainText('invoke_agent Calculator');
  await expect(spans.nth(1)).toContainText('chat enclave-local-chat');
  await expect(spans.nth(1)).toContainText(/\d+ in · \d+ out/);
  await expect(spans.nth(1)).toContainText(/\$\d+\.\d{6}/);
  await expect(spans.nth(2)).toHaveAttribute('data-kind', 'tool');
  await expect(spans.nth(2)).toContainText('execute_tool run_javascript');
  await expect(spans.nth(3)).toHaveAttribute('data-kind', 'model');
  for (let i = 0; i < 4; i++) await expect(spans.nth(i)).toContainText(/\d+ (ms|s)/);
  await expect(waterfall.getByRole('columnheader', { name: /Timeline/ })).toBeVisible();
}

const owner: Person = { name: 'Pat Playground', email: `playground-owner-${stamp}@e2e.test`, password: 'owner-password-1' };

test('run an agent with a tool call in the playground and watch its steps stream in', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Playground ${stamp}`);

  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Calculator');
  await page.getByRole('group', { name: 'Tools' }).getByRole('checkbox', { name: /run_javascript/ }).check();
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);

  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Calculator · playground' })).toBeVisible();
  await expect(page.getByText('Start a run to see its model and tool calls here.')).toBeVisible();
  await expect(page.getByText(/Start a run to see its trace here/)).toBeVisible();

  await page.getByLabel('Message').fill('use run_javascript with code 1+2');
  await page.getByRole('button', { name: 'Run' }).click();

  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
  const steps = page.getByTestId('run-step');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('Model call');
  await expect(steps.nth(0)).toContainText('run_javascript({"code":"1+2"})');
  await expect(steps.nth(0)).toContainText(/\d+ in · \d+ out · \$\d+\.\d{6}/);
  await expect(steps.nth(1)).toContainText('Tool call · run_javascript');
  await expect(steps.nth(1).getByLabel('Result')).toContainText('3');
  await expect(page.getByTestId('run-answer')).toContainText('From run_javascript');
  // The trace beside the answer, filled in once the run is over.
  await expectToolRunTrace(page);
  await expectAccessible(page);

  // The run is listed on the runs page, filtered by status, and its detail shows the steps.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Runs' }).click();
  await page.waitForURL('**/runs');
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
  await page.getByLabel('Status').selectOption('failed');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL('**/runs?*status=failed*');
  await expect(page.getByText('No runs match')).toBeVisible();
  await page.getByLabel('Status').selectOption('succeeded');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL('**/runs?*status=succeeded*');
  await page.getByRole('link', { name: 'Calculator · v1' }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Calculator · run' })).toBeVisible();
  await expect(page.getByTestId('run-step')).toHaveCount(3);
  await expect(page.getByText('From run_javascript').first()).toBeVisible();
  await expect(page.getByText(/Trace ID [0-9a-f]{32}/)).toBeVisible();
  await expectToolRunTrace(page);
});
