// Journey: approving a tool call. An owner sets an approval rule on the tool
// run_javascript, asks an agent in the playground to use it, and sees the run
// pause in "Awaiting approval"; in the approvals inbox the waiting step shows
// the tool and its arguments; rejecting without a reason is refused beside the
// field; approving with a reason resumes the run, which finishes with the tool's
// result, the decision in the history, on the run page and in its trace.
import { expect, test } from './support/test';
import { createCalculatorAgent, createWorkspace, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Avery Approver', email: `approvals-owner-${stamp}@e2e.test`, password: 'owner-password-1' };

test('a tool call waits for approval, is approved in the inbox, and the run finishes', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Approvals ${stamp}`);

  const agentPath = await createCalculatorAgent(page, workspacePath);

  // The rule: calls to run_javascript wait for an approval.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Approvals' }).click();
  await page.waitForURL('**/approvals');
  await expect(page.getByText('Nothing is waiting')).toBeVisible();
  await expect(page.getByText('No policy saved yet')).toBeVisible();
  const rules = page.getByRole('form', { name: 'Approval rules' });
  await rules.getByLabel('A request expires after (minutes)').fill('0');
  await rules.getByRole('button', { name: 'Save approval rules' }).click();
  await expect(rules.getByText('At least 1 minute')).toBeVisible();
  await rules.getByLabel('Tools that need an approval').fill('run_javascript');
  await rules.getByLabel('A request expires after (minutes)').fill('30');
  await rules.getByRole('button', { name: 'Save approval rules' }).click();
  await expect(page.getByText('From policy version 1.')).toBeVisible();

  // The run pauses before the tool call.
  await page.goto(`${agentPath}/playground`);
  await page.getByLabel('Message').fill('use run_javascript with code 1+2');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Awaiting approval', { timeout: 30_000 });
  await expect(page.getByTestId('run-awaiting-approval')).toContainText('needs an approval');
  await expect(page.getByTestId('run-step')).toHaveCount(1);

  // The inbox shows what is asked; a rejection needs a reason.
  await page.getByTestId('run-awaiting-approval').getByRole('link', { name: 'Approvals' }).click();
  await page.waitForURL('**/approvals');
  const waiting = page.getByTestId('pending-approval');
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText('Calculator · run');
  await expect(waiting).toContainText('Step 2: call the tool run_javascript');
  await expect(waiting.getByLabel('Arguments')).toContainText('"code": "1+2"');
  await expect(waiting).toContainText('Calls to the tool run_javascript need an approval.');
  await waiting.getByRole('button', { name: 'Reject' }).click();
  await expect(waiting.getByText('Give a reason for the rejection')).toBeVisible();
  await waiting.getByLabel(/Reason/).fill('Arithmetic is harmless');
  await waiting.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('Nothing is waiting')).toBeVisible();
  const history = page.getByTestId('decided-approval');
  await expect(history).toHaveCount(1);
  await expect(history).toContainText(`Approved by ${owner.name}`);
  await expect(history).toContainText('Reason: Arithmetic is harmless');

  // The run resumes where it paused and finishes with the tool's result.
  await history.getByRole('link', { name: /Calculator · run/ }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('run-step')).toHaveCount(3, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('run-awaiting-approval')).toHaveCount(0);
  await expect(page.getByText('From run_javascript').first()).toBeVisible();
  await expect(page.getByText(`Approved by ${owner.name}`)).toBeVisible();
  const spans = page.getByTestId('trace-waterfall').getByTestId('trace-span');
  await expect(spans).toHaveCount(5);
  await expect(spans.nth(2)).toHaveAttribute('data-kind', 'approval');
  await expect(spans.nth(2)).toContainText('approval run_javascript');
  await expect(spans.nth(3)).toHaveAttribute('data-kind', 'tool');
});
