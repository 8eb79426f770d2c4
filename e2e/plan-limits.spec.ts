// Journey: plans and rate limits. An owner reads the workspace's limits page (the
// free plan, nothing used this minute). The operator moves the workspace to the
// pro plan with a runs-per-minute override of 1 from the console. The owner's
// first run starts; the second is refused in the playground with a message naming
// the limit and when to try again; the limits page shows the pro plan and the
// minute's one run against its limit of one.
import { expectAccessible } from './support/accessibility';
import { expect, settled, test } from './support/test';
import { createWorkspace, signIn, signUp, type Person } from './journeys';

const stamp = Date.now();
const owner: Person = { name: 'Lena Limits', email: `limits-owner-${stamp}@e2e.test`, password: 'owner-password-1' };
const operator: Person = { name: 'Olivia Operator', email: 'operator@enclave.local', password: 'operator-demo-1' };

test('the operator sets a plan and a tight override; the workspace is refused past it and sees its usage', async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const page = await ownerContext.newPage();
  const name = `Limits ${stamp}`;
  await signUp(page, owner);
  const path = await createWorkspace(page, name);

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Limits' }).click();
  await page.waitForURL('**/limits');
  await expect(page.getByRole('heading', { level: 1, name: 'Limits' })).toBeVisible();
  await expect(page.getByTestId('plan-name')).toHaveText('Free');
  await expect(page.getByRole('meter', { name: 'Runs started this minute' })).toHaveAttribute('aria-valuetext', '0 of 30');
  await expect(page.getByRole('meter', { name: 'Knowledge chunks stored' })).toHaveAttribute('aria-valuetext', '0 of 20,000');
  await expectAccessible(page);

  const opsContext = await browser.newContext();
  const ops = await opsContext.newPage();
  await signIn(ops, operator);
  await ops.waitForURL(/\/(new|w\/)/);
  await ops.goto(`/admin/workspaces?q=${encodeURIComponent(name)}`);
  await settled(ops);
  const entry = ops.getByRole('list', { name: 'Plans and limits' }).getByRole('listitem');
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId('workspace-plan')).toHaveText('Free plan');
  await entry.getByText(name).click();
  const form = ops.getByRole('form', { name: `Plan and limits of ${name}` });
  await form.getByLabel('Plan').selectOption('pro');
  await form.getByLabel('Max steps per run').fill('none');
  await form.getByRole('button', { name: 'Save plan and limits' }).click();
  await expect(form.getByText('Enter a whole number of at least 1, or leave it empty for the plan’s value.')).toBeVisible();
  await form.getByLabel('Max steps per run').fill('');
  await form.getByLabel('Runs started per minute').fill('1');
  await form.getByRole('button', { name: 'Save plan and limits' }).click();
  await expect(form.getByText('Saved and recorded in the workspace’s audit log.')).toBeVisible();
  await expect(entry.getByTestId('workspace-plan')).toHaveText('Pro plan · 1 override');
  await expectAccessible(ops);
  await opsContext.close();

  await page.goto(`${path}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Greeter');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);
  // Per-minute limits count in fixed calendar minutes: both runs and the page after them must fall in one.
  const intoMinute = new Date().getSeconds();
  if (intoMinute > 35) await page.waitForTimeout((61 - intoMinute) * 1000);
  await page.getByLabel('Message').fill('Hello there');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
  await page.getByLabel('Message').fill('And once more');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByText(/This workspace has reached its limit of 1 runs started per minute\. Try again in \d+ seconds?\./)).toBeVisible();
  await expectAccessible(page);

  await page.goto(`${path}/limits`);
  await settled(page);
  await expect(page.getByTestId('plan-name')).toHaveText('Pro');
  await expect(page.getByRole('meter', { name: 'Runs started this minute' })).toHaveAttribute('aria-valuetext', '1 of 1');
  await ownerContext.close();
});
