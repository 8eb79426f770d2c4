import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitExceeded } from '../domain-errors';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { authenticate, signUp } from './accounts';
import { LIMITS } from './login-throttle';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.stop());

describe('accounts', () => {
  it('makes exactly one of the first users the operator, even when they sign up at once', async () => {
    const firsts = await Promise.all(
      ['First@Example.test', 'first-b@example.test', 'first-c@example.test'].map((email) =>
        signUp({ email, name: ' First ', password: 'long enough pass' }),
      ),
    );
    expect(firsts[0]).toMatchObject({ email: 'first@example.test', name: 'First' });
    expect(firsts.filter((a) => a.isOperator)).toHaveLength(1);
    const second = await signUp({ email: 'second@example.test', name: 'Second', password: 'long enough pass' });
    expect(second.isOperator).toBe(false);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    await expect(signUp({ email: 'SECOND@example.test', name: 'Again', password: 'long enough pass' })).rejects.toThrow(
      /already exists/,
    );
  });

  it('stores only a hash of the password', async () => {
    const { rows } = await db.owner.query("SELECT password_hash FROM users WHERE email = 'second@example.test'");
    expect(rows[0].password_hash).not.toContain('long enough pass');
  });

  it('signs in with the right password only', async () => {
    expect(await authenticate({ email: 'second@example.test', password: 'long enough pass' })).toMatchObject({
      email: 'second@example.test',
    });
    expect(await authenticate({ email: 'second@example.test', password: 'wrong password' })).toBeNull();
    expect(await authenticate({ email: 'nobody@example.test', password: 'whatever pass' })).toBeNull();
  });

  it('throttles an email from one address after repeated failures, even for the right password', async () => {
    const email = 'first@example.test';
    for (let i = 0; i < LIMITS.emailFromAddress; i++) {
      expect(await authenticate({ email, password: `wrong ${i}`, ip: '10.0.0.1' })).toBeNull();
    }
    await expect(authenticate({ email, password: 'long enough pass', ip: '10.0.0.1' })).rejects.toBeInstanceOf(LimitExceeded);
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM login_attempts WHERE email = $1', [email]);
    expect(rows[0].n).toBe(LIMITS.emailFromAddress);
  });

  it("does not let a stranger's failures lock the owner of the email out, and a success clears them", async () => {
    const email = 'first@example.test';
    expect(await authenticate({ email, password: 'long enough pass', ip: '10.0.0.2' })).toMatchObject({ email });
    const { rows } = await db.owner.query('SELECT succeeded FROM login_attempts WHERE email = $1', [email]);
    expect(rows).toEqual([{ succeeded: true }]);
    expect(await authenticate({ email, password: 'long enough pass', ip: '10.0.0.1' })).toMatchObject({ email });
  });

  it('counts parallel guesses against each other', async () => {
    const email = 'first-b@example.test';
    const guesses = await Promise.allSettled(
      Array.from({ length: LIMITS.emailFromAddress * 2 }, (_, i) => authenticate({ email, password: `guess ${i}`, ip: '10.0.0.3' })),
    );
    const checked = guesses.filter((g) => g.status === 'fulfilled');
    const refused = guesses.filter((g) => g.status === 'rejected' && g.reason instanceof LimitExceeded);
    expect(checked).toHaveLength(LIMITS.emailFromAddress);
    expect(refused).toHaveLength(LIMITS.emailFromAddress);
  });
});
