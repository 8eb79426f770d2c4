// Journey: the demo owner signs in to their workspace, a wrong password is
// refused with a message beside the form, and signing out returns to sign-in.
import { expect, test } from './support/test';

test('demo owner signs in, and signs out again', async ({ page }) => {
  await page.goto('/');
  await page.waitForURL('**/sign-in**');

  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong email or password' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel('Password').fill('alice-demo-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/w/acme');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Switch workspace, current: Acme' })).toBeVisible();
  await expect(page).toHaveTitle('Acme · Enclave');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in**');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto('/w/acme');
  await page.waitForURL('**/sign-in?callbackUrl=%2Fw%2Facme');
});

test('empty fields are flagged next to each field', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter your email address')).toBeVisible();
  await expect(page.getByText('Enter your password')).toBeVisible();
});

test('sign-in ignores off-site callback URLs', async ({ page }) => {
  await page.goto('/sign-in?callbackUrl=%2F%2Fevil.example%2Fphish');
  await page.getByLabel('Email').fill('bob@globex.test');
  await page.getByLabel('Password').fill('bob-demo-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/w/globex');
});

test('another workspace is a 404 for a signed-in user', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('bob@globex.test');
  await page.getByLabel('Password').fill('bob-demo-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/w/globex');
  const response = await page.goto('/w/acme/settings');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: "We couldn't find that page" })).toBeVisible();
});
