// Journey: an owner caps the workspace's model spend. Budgets starts empty; a
// limit that is not a number is refused next to its field; a hard budget of a
// hundredth of a cent is created and shown with its spend, limit and burn-down
// chart. A run in the playground is then refused before any model call, ending
// "Budget exceeded" with a message naming the budget, and the exhausted budget
// shows as a notice across the workspace, at 100% on Budgets, and in the activity feed.
import { expect, settled, test } from './support/test';
import { createWorkspace, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Bea Budget', email: `budget-owner-${stamp}@e2e.test`, password: 'owner-password-1' };

test('a hard budget is created, charted, and refuses a run once it has no room', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Budgets ${stamp}`);

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Budgets' }).click();
  await page.waitForURL('**/budgets');
  await expect(page.getByRole('heading', { level: 1, name: 'Budgets' })).toBeVisible();
  await expect(page.getByText('No budgets yet')).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill('Tiny hard cap');
  await page.getByLabel('Monthly limit (USD)').fill('lots');
  await page.getByRole('button', { name: 'Create budget' }).click();
  await expect(page.getByText('Enter the monthly limit in US dollars')).toBeVisible();
  await page.getByLabel('Monthly limit (USD)').fill('0.0001');
  await page.getByLabel('When reached').selectOption('hard');
  await page.getByRole('button', { name: 'Create budget' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created the budget Tiny hard cap.' })).toBeVisible();

  const budget = page.getByRole('listitem', { name: 'Budget Tiny hard cap' });
  await expect(budget).toContainText('Whole workspace');
  await expect(budget.getByTestId('budget-limit')).toHaveText('$0.000100');
  await expect(budget.getByTestId('budget-spent')).toHaveText('$0.00');
  await expect(budget.getByTestId('budget-alerts')).toHaveText('None');
  await expect(budget.getByRole('figure', { name: 'Burn-down of Tiny hard cap' })).toBeVisible();
  await expect(budget.locator('.recharts-reference-line')).toHaveCount(1);

  // A run's first call reserves the prompt plus its 4096-token output cap: far more than the budget has.
  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Greeter');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);
  await page.getByLabel('Message').fill('Say hello');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Budget exceeded', { timeout: 30_000 });
  await expect(page.getByTestId('run-answer').getByRole('status')).toContainText('The workspace budget "Tiny hard cap" (hard limit $0.0001 a month) has no room for this model call');
  await expect(page.getByTestId('run-step')).toHaveCount(0);

  await page.goto(`${workspacePath}/budgets`);
  await settled(page);
  await expect(page.getByTestId('budget-notice')).toContainText('Budget Tiny hard cap is exhausted for this month');
  await expect(page.getByRole('listitem', { name: 'Budget Tiny hard cap' }).getByTestId('budget-alerts')).toHaveText('100%');
  await expect(page.getByRole('listitem', { name: 'Budget Tiny hard cap' }).getByTestId('budget-spent')).toHaveText('$0.00');

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Home' }).click();
  await page.waitForURL(new RegExp(`${workspacePath}$`));
  await expect(page.getByText('budget Tiny hard cap reached 100% of its monthly limit')).toBeVisible();
  await expect(page.getByText('created the budget Tiny hard cap')).toBeVisible();
});
