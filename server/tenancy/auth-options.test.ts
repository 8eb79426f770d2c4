// next-auth wiring: redirect targets reduced to same-site paths (every
// malformed or foreign value included), Secure cookies under an https APP_URL,
// and the jwt/session callbacks and sign-out event tied to the session row.
import type { NextAuthOptions } from 'next-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../env';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { signUp, type AccountSummary } from './accounts';
import { authOptions, safeRedirect } from './auth-options';
import { activeSessionAccount, openSession } from './sessions';

let db: TestDatabase;
let user: AccountSummary;
beforeAll(async () => {
  db = await createTestDatabase();
  user = await signUp({ email: 'jwt@auth.test', name: 'Jay', password: 'correct horse battery' });
});
afterAll(async () => db.stop());

const BASE = 'http://localhost:3000';

describe('redirect callback', () => {
  it.each([
    ['/w/acme', `${BASE}/w/acme`],
    ['/w/acme?tab=1#x', `${BASE}/w/acme?tab=1#x`],
    [`${BASE}/account`, `${BASE}/account`],
    ['https://evil.example/phish', `${BASE}/`],
    ['//evil.example/phish', `${BASE}/`],
    ['/\\evil.example', `${BASE}/`],
    ['%5C%5Cevil.com', `${BASE}/`],
    ['\\\\evil.com', `${BASE}/`],
    ['/sign-in\nSet-Cookie: x=1', `${BASE}/sign-inSet-Cookie:%20x=1`],
    ['/\t/evil.example', `${BASE}/`],
    ['javascript:alert(1)', `${BASE}/`],
    ['http://localhost:3001/other-port', `${BASE}/`],
    ['', `${BASE}/`],
    ['/%00', `${BASE}/%00`],
    [`/${'a'.repeat(5000)}`, `${BASE}/`],
  ])('%j → %s', (url, expected) => {
    expect(safeRedirect(url, BASE)).toBe(expected);
  });

  it('never answers another origin, and never a control character', () => {
    for (const url of ['/ok', 'http://a b', '/\u0000x', '/\r\n/evil', 'http://[::1', '%', '/'.padEnd(5000, 'a')]) {
      const target = safeRedirect(url, BASE);
      expect(new URL(target).origin).toBe(BASE);
      expect([...target].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true);
    }
  });
});

describe('cookies', () => {
  it('marks cookies Secure whenever APP_URL is https', () => {
    setRuntimeEnv({ APP_URL: 'https://enclave.example.com' });
    expect(authOptions().useSecureCookies).toBe(true);
    setRuntimeEnv({ APP_URL: 'http://localhost:3000' });
    expect(authOptions().useSecureCookies).toBe(false);
  });
});

type Callbacks = Required<NonNullable<NextAuthOptions['callbacks']>>;
const callbacks = () => authOptions().callbacks as Callbacks;
const jwt = (token: Record<string, unknown>) => callbacks().jwt({ token } as never) as Promise<Record<string, unknown>>;

describe('session callbacks', () => {
  it('puts the user and session ids in the token at sign-in', async () => {
    const token = await callbacks().jwt({ token: {}, user: { id: user.id, sessionId: 'sid-1' } } as never);
    expect(token).toMatchObject({ sub: user.id, sid: 'sid-1' });
  });

  it('answers the live account for a live session, and refuses an ended one', async () => {
    const sid = await openSession(user.id, {});
    const token = await jwt({ sub: user.id, sid });
    const session = await callbacks().session({ session: { expires: 'later' }, token } as never);
    expect(session).toMatchObject({ account: { id: user.id, email: user.email }, sessionId: sid, user: { email: user.email } });

    await authOptions().events!.signOut!({ token: { sub: user.id, sid } } as never);
    expect(await activeSessionAccount(sid, user.id)).toBeNull();
    await expect(jwt({ sub: user.id, sid })).rejects.toThrow();
    await expect(jwt({ sub: user.id })).rejects.toThrow();
  });
});
