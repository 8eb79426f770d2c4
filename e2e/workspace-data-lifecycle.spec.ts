// Journey: an owner checks and takes their workspace's data, then deletes it.
// 1. On the Audit log page the workspace's creation is listed; "Verify" reports
//    the hash chain intact; "Export CSV" downloads the log as CSV.
// 2. On the Data page "Export all data" builds an archive in the background with
//    progress; the finished .tar.gz downloads and holds the manifest and one
//    NDJSON file per table.
// 3. Deleting needs the workspace URL typed: a wrong one is refused in the form
//    and by the server (400 with the reason); the right one deletes it, and the
//    workspace URL is then the not-found page.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readTarGz } from '@/server/lifecycle/tar-archive';
import { createWorkspace, expectNotFound, signUp } from './journeys';
import { expect, settled, test } from './support/test';

const stamp = Date.now();
const owner = { name: 'Dana Data', email: `data-owner-${stamp}@e2e.test`, password: 'data-owner-password-1' };

test('an owner verifies the audit log, exports the workspace and deletes it with the typed URL', async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page, owner);
  const path = await createWorkspace(page, `Data Lifecycle ${stamp}`);
  const slug = path.split('/').pop()!;

  // 1. Audit log: listed, verified, exported.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Audit log' }).click();
  await page.waitForURL('**/audit');
  await settled(page);
  const events = page.getByTestId('audit-events');
  await expect(events.getByRole('row').filter({ hasText: 'workspace.created' })).toBeVisible();
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText(/The chain is intact: all \d+ events verified/)).toBeVisible();

  await page.getByLabel('Action').selectOption('workspace.created');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL('**/audit?*action=workspace.created*');
  await settled(page);
  const csvLink = page.getByRole('link', { name: 'Export CSV' });
  const csvHref = (await csvLink.getAttribute('href'))!;
  const workspaceId = new URL(csvHref, page.url()).searchParams.get('workspaceId')!;
  const csvDownload = page.waitForEvent('download');
  await csvLink.click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8');
  expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('position,time_utc,actor_id,actor_email,action,target,metadata,hash');
  expect(csv).toContain(`,workspace.created,${slug},`);
  expect(csv).not.toContain('auth.signed_in');

  // 2. Export: built in the background, then downloaded.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Data' }).click();
  await page.waitForURL('**/data');
  await settled(page);
  await page.getByRole('button', { name: 'Export all data' }).click();
  const row = page.getByTestId('export-row').first();
  await expect(row).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const archiveDownload = page.waitForEvent('download');
  await row.getByRole('link', { name: 'Download' }).click();
  const download = await archiveDownload;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${slug}-export-.*\\.tar\\.gz$`));
  const files = readTarGz(readFileSync((await download.path())!), gunzipSync);
  const names = files.map((f) => f.name);
  expect(names).toContain('manifest.json');
  expect(names).toEqual(expect.arrayContaining(['workspaces.ndjson', 'memberships.ndjson', 'audit_events.ndjson']));
  const workspaceRow = JSON.parse(files.find((f) => f.name === 'workspaces.ndjson')!.content.toString('utf8').trim()) as { slug: string };
  expect(workspaceRow.slug).toBe(slug);

  // 3. Deletion: a wrong URL is refused by the form and by the server; the right one deletes.
  const confirm = page.getByLabel(`Type the workspace URL, ${slug}, to confirm`);
  await confirm.fill(`${slug}-typo`);
  await page.getByRole('button', { name: 'Delete this workspace' }).click();
  await expect(page.getByText(`That is not this workspace's URL; type ${slug}`)).toBeVisible();
  const refused = await page.request.post('/api/trpc/workspaces.delete', {
    headers: { 'content-type': 'application/json' },
    data: { json: { workspaceId, confirm: `${slug}-typo` } },
  });
  expect(refused.status()).toBe(400);
  expect(JSON.stringify(await refused.json())).toContain(`Type the workspace URL, ${slug}, exactly to confirm`);
  await expect(page.getByRole('heading', { level: 1, name: 'Data' })).toBeVisible();

  await confirm.fill(slug);
  await page.getByRole('button', { name: 'Delete this workspace' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith(path));
  await expectNotFound(page, `${path}/data`);
});
