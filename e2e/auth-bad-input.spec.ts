// Bad input to next-auth's own endpoints gets a clean answer — a redirect to a
// same-site path, a JSON refusal or a 4xx — never a 500, never another origin,
// never a header smuggled through a callback URL. One row per request.
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { expect, test } from './support/test';

type Row = {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** Form fields (POST); `csrf` adds a valid token first. */
  form?: Record<string, string>;
  json?: string;
  csrf?: boolean;
  cookie?: string;
  status: number;
};

const huge = 'a'.repeat(100_000);

const ROWS: Row[] = [
  { name: 'backslash callback on sign-in', method: 'GET', path: '/api/auth/signin?callbackUrl=%5C%5Cevil.com', status: 302 },
  { name: 'NUL callback on sign-in', method: 'GET', path: '/api/auth/signin?callbackUrl=%00', status: 302 },
  { name: 'off-site callback on sign-in', method: 'GET', path: '/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example%2F', status: 302 },
  { name: 'protocol-relative callback', method: 'GET', path: '/api/auth/signin?callbackUrl=%2F%2Fevil.example', status: 302 },
  { name: 'CRLF in callback', method: 'GET', path: '/api/auth/signin?callbackUrl=%2F%0D%0ASet-Cookie%3A%20x%3D1', status: 302 },
  { name: 'javascript: callback', method: 'GET', path: '/api/auth/signin?callbackUrl=javascript%3Aalert(1)', status: 302 },
  { name: 'unparseable callback-url cookie', method: 'GET', path: '/api/auth/session', cookie: 'next-auth.callback-url=%5C%5Cevil.com', status: 400 },
  { name: 'NUL in callback-url cookie', method: 'GET', path: '/api/auth/csrf', cookie: 'next-auth.callback-url=%00', status: 400 },
  { name: 'off-site callback-url cookie', method: 'GET', path: '/api/auth/csrf', cookie: 'next-auth.callback-url=https%3A%2F%2Fevil.example', status: 200 },
  { name: 'garbage session cookie', method: 'GET', path: '/api/auth/session', cookie: 'next-auth.session-token=garbage', status: 200 },
  { name: 'newline in sign-out callback', method: 'POST', path: '/api/auth/signout', csrf: true, form: { callbackUrl: '/sign-in\nx' }, status: 302 },
  { name: 'backslash sign-out callback (json)', method: 'POST', path: '/api/auth/signout', csrf: true, form: { callbackUrl: '%5C%5Cevil.com', json: 'true' }, status: 200 },
  { name: 'sign-out without csrf', method: 'POST', path: '/api/auth/signout', form: { callbackUrl: '/' }, status: 302 },
  { name: 'credentials without csrf', method: 'POST', path: '/api/auth/callback/credentials', form: { email: 'a@b.test', password: 'x' }, status: 302 },
  { name: 'NUL byte in email', method: 'POST', path: '/api/auth/callback/credentials', csrf: true, form: { email: 'a\u0000@b.test', password: 'x', json: 'true' }, status: 401 },
  { name: 'control character in password', method: 'POST', path: '/api/auth/callback/credentials', csrf: true, form: { email: 'a@b.test', password: 'x\u0001y', json: 'true' }, status: 401 },
  { name: 'huge email', method: 'POST', path: '/api/auth/callback/credentials', csrf: true, form: { email: huge, password: 'x', json: 'true' }, status: 401 },
  { name: 'huge password', method: 'POST', path: '/api/auth/callback/credentials', csrf: true, form: { email: 'a@b.test', password: huge, json: 'true' }, status: 401 },
  { name: 'huge callback', method: 'POST', path: '/api/auth/signin/credentials', csrf: true, form: { callbackUrl: `/${huge}`, json: 'true' }, status: 200 },
  { name: 'malformed JSON body', method: 'POST', path: '/api/auth/callback/credentials', json: '{"email":', status: 400 },
  { name: 'JSON array body', method: 'POST', path: '/api/auth/callback/credentials', json: '[1,2]', status: 400 },
  { name: 'GET on the credentials callback', method: 'GET', path: '/api/auth/callback/credentials', status: 400 },
  { name: 'unknown action', method: 'GET', path: '/api/auth/nope', status: 400 },
  { name: 'NUL in error page', method: 'GET', path: '/api/auth/error?error=%00', status: 200 },
];

async function csrfToken(request: APIRequestContext): Promise<string> {
  return ((await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;
}

function send(request: APIRequestContext, row: Row, csrf?: string): Promise<APIResponse> {
  const headers: Record<string, string> = row.cookie ? { cookie: row.cookie } : {};
  const options = { headers, maxRedirects: 0 };
  if (row.method === 'GET') return request.get(row.path, options);
  if (row.json !== undefined) {
    return request.post(row.path, { ...options, headers: { ...headers, 'content-type': 'application/json' }, data: row.json });
  }
  return request.post(row.path, { ...options, form: { ...row.form, ...(csrf ? { csrfToken: csrf } : {}) } });
}

for (const row of ROWS) {
  test(`${row.method} ${row.name} → ${row.status}`, async ({ request, baseURL }) => {
    const response = await send(request, row, row.csrf ? await csrfToken(request) : undefined);
    expect(response.status(), await response.text().catch(() => '')).toBe(row.status);
    const origin = new URL(baseURL!).origin;
    const location = response.headers()['location'];
    if (location) {
      expect(new URL(location, origin).origin).toBe(origin);
      const callback = new URL(location, origin).searchParams.get('callbackUrl');
      if (callback) expect(new URL(callback, origin).origin).toBe(origin);
    }
    if ((response.headers()['content-type'] ?? '').includes('application/json')) {
      const body = (await response.json()) as { url?: string };
      if (body.url) expect(new URL(body.url, origin).origin).toBe(origin);
    }
    const cookies = response.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
    expect(cookies.some((c) => /^x=/.test(c))).toBe(false);
  });
}

test('a correct sign-in with an off-site callback lands on this site', async ({ request, baseURL }) => {
  const response = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken: await csrfToken(request), email: 'bob@globex.test', password: 'bob-demo-1', callbackUrl: '\\\\evil.com', json: 'true' },
  });
  expect(response.status()).toBe(200);
  expect(new URL(((await response.json()) as { url: string }).url).origin).toBe(new URL(baseURL!).origin);
});
