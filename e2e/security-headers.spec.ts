// Every response carries the security headers: a nonce CSP that forbids
// framing, nosniff, a strict referrer and permissions policy; API answers are
// never cached; pages run under the policy without a single violation.
import type { Page } from '@playwright/test';
import { expect, test } from './support/test';

type WithHeaders = { headers(): Record<string, string> } | null | undefined;

function expectSecurityHeaders(response: WithHeaders) {
  const headers = response?.headers() ?? {};
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy']).toContain('camera=()');
  expect(headers['permissions-policy']).toContain('microphone=()');
  return csp;
}

/** Collects the browser's own reports of content blocked by the policy. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('HTML pages carry the headers, and their scripts carry this response\'s nonce', async ({ page, request }) => {
  for (const path of ['/sign-in', '/sign-up', '/no-such-page']) {
    const response = await request.get(path);
    const csp = expectSecurityHeaders(response);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  }
  // Each response gets its own nonce.
  const [a, b] = await Promise.all([request.get('/sign-in'), request.get('/sign-in')]);
  expect(a.headers()['content-security-policy']).not.toBe(b.headers()['content-security-policy']);
  expect((await page.goto('/sign-in'))?.headers()['x-frame-options']).toBe('DENY');
});

test('a signed-in journey runs under the policy with no violation', async ({ page }) => {
  const violations = watchViolations(page);
  const response = await page.goto('/sign-in');
  expectSecurityHeaders(response);
  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('alice-demo-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/w/acme');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();
  expectSecurityHeaders(await page.goto('/w/acme/members'));
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  // Client-side navigation works too: scripts loaded and hydrated under the policy.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL('**/settings');
  expect(violations).toEqual([]);
});

test('API answers are never cached, signed in or not', async ({ page }) => {
  for (const path of ['/api/health', '/api/auth/session', '/api/auth/csrf']) {
    const response = await page.request.get(path);
    expect(response.headers()['cache-control']).toContain('no-store');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
  }
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('alice@acme.test');
  await page.getByLabel('Password').fill('alice-demo-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/w/acme');
  const me = await page.request.get('/api/trpc/account.me');
  expect(me.status()).toBe(200);
  expect(me.headers()['cache-control']).toBe('no-store');
  const session = await page.request.get('/api/auth/session');
  expect(session.headers()['cache-control']).toContain('no-store');
  // The app's own routes: the audit CSV download, a run's event stream, an upload's answer.
  const trpcData = async <T>(procedure: string, input: unknown) =>
    ((await (await page.request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)).json()) as { result: { data: { json: T } } }).result.data.json;
  const acme = await trpcData<{ id: string }>('workspaces.bySlug', { slug: 'acme' });
  const [run] = await trpcData<{ id: string }[]>('runs.list', { workspaceId: acme.id, limit: 1 });
  const [base] = await trpcData<{ id: string }[]>('knowledge.list', { workspaceId: acme.id });
  const answers = {
    csv: await page.request.get(`/api/audit/csv?workspaceId=${acme.id}`),
    events: await page.request.get(`/api/runs/${run!.id}/events?workspaceId=${acme.id}`),
    upload: await page.request.post('/api/knowledge/upload', {
      multipart: { workspaceId: acme.id, knowledgeBaseId: base!.id, file: { name: 'headers.txt', mimeType: 'text/plain', buffer: Buffer.from('Headers check.') } },
    }),
  };
  expect(Object.values(answers).map((a) => a.status())).toEqual([200, 200, 201]);
  for (const [name, answer] of Object.entries(answers)) {
    expect(answer.headers()['cache-control'], name).toContain('no-store');
    expect(answer.headers()['x-content-type-options'], name).toBe('nosniff');
    expect(answer.headers()['content-security-policy'], name).toContain("frame-ancestors 'none'");
  }
});

test('another site cannot frame a page', async ({ page, baseURL }) => {
  // The test page is about:blank, another origin, embedding the sign-in page.
  await page.setContent(`<iframe src="${baseURL}/sign-in" width="600" height="400"></iframe>`);
  const frame = () => page.frames().find((f) => f !== page.mainFrame());
  // Chromium refuses the document and shows its own error page in the frame instead.
  await expect.poll(() => frame()?.url()).toBe('chrome-error://chromewebdata/');
});
