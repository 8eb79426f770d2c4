// The HTTP edge refuses abuse with clear 4xx answers: oversized tRPC batches
// and bodies, and sign-in guessing that rotates a forged X-Forwarded-For.
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './support/test';

const previewInput = { json: { token: 'x'.repeat(43) } };

async function signInAttempt(request: APIRequestContext, email: string, password: string, forwardedFor: string) {
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, json: 'true' },
    headers: { 'x-forwarded-for': forwardedFor },
    maxRedirects: 0,
  });
  const { url } = (await response.json()) as { url: string };
  return new URL(url).searchParams.get('error');
}

test('a tRPC batch larger than the limit is refused with 400, a normal one answers', async ({ request }) => {
  const batch = (n: number) => {
    const paths = Array.from({ length: n }, () => 'invitations.preview').join(',');
    const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, previewInput]));
    return `/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  };
  const small = await request.get(batch(2));
  expect(small.status()).toBe(404); // both previews: "This invitation link is not valid"
  const large = await request.get(batch(11));
  expect(large.status()).toBe(400);
});

test('an oversized tRPC body is refused with 413 before it is read', async ({ request }) => {
  const response = await request.post('/api/trpc/account.signUp', {
    data: { json: { email: 'big@e2e.test', name: 'x'.repeat(2 * 1024 * 1024), password: 'long enough pass' } },
  });
  expect(response.status()).toBe(413);
  expect((await response.json()).error.message).toBe('Request body too large');
});

test('a forged X-Forwarded-For does not escape the sign-in throttle', async ({ request }) => {
  const email = `guess-target-${Date.now()}@e2e.test`;
  for (let i = 0; i < 5; i++) {
    expect(await signInAttempt(request, email, `wrong ${i}`, `198.51.100.${i}`)).toBe('CredentialsSignin');
  }
  expect(await signInAttempt(request, email, 'wrong again', '198.51.100.99')).toMatch(/Too many failed sign-in attempts/);
});
