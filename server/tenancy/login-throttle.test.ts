// The three sign-in limits, the owner's way past the email-wide lock, and the
// per-address limits on sign-up and password-reset requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitExceeded } from '../domain-errors';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { authenticate, signUp } from './accounts';
import { beginLoginAttempt, LIMITS, recordRequest, requestLimits } from './login-throttle';

let db: TestDatabase;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  db = await createTestDatabase();
  for (const name of ['pair', 'spray', 'target']) await signUp({ email: `${name}@throttle.test`, name, password: PASSWORD });
});
afterAll(async () => db.stop());

/** Records `n` failed attempts (as a wrong password would). */
async function fail(n: number, email: (i: number) => string, ip: (i: number) => string) {
  for (let i = 0; i < n; i++) await beginLoginAttempt(email(i), ip(i));
}

describe('sign-in throttle', () => {
  it('limit 1: refuses an email from one address after its failures there, even with the right password', async () => {
    await fail(LIMITS.emailFromAddress, () => 'pair@throttle.test', () => '10.1.0.1');
    await expect(authenticate({ email: 'pair@throttle.test', password: PASSWORD, ip: '10.1.0.1' })).rejects.toBeInstanceOf(LimitExceeded);
    expect(await authenticate({ email: 'pair@throttle.test', password: PASSWORD, ip: '10.1.0.2' })).not.toBeNull();
  });

  it('limit 2: refuses an address that failed for many emails, whatever email it tries next', async () => {
    await fail(LIMITS.address, (i) => `nobody-${i}@throttle.test`, () => '10.2.0.1');
    await expect(authenticate({ email: 'spray@throttle.test', password: PASSWORD, ip: '10.2.0.1' })).rejects.toBeInstanceOf(LimitExceeded);
    expect(await authenticate({ email: 'spray@throttle.test', password: PASSWORD, ip: '10.2.0.2' })).not.toBeNull();
  });

  describe('limit 3: failures for one email spread over many addresses', () => {
    beforeAll(async () => {
      await fail(LIMITS.email, () => 'target@throttle.test', (i) => `10.3.${Math.floor(i / 200)}.${i % 200}`);
    });

    it('refuses every address that already failed for the email, and callers without an address', async () => {
      await expect(authenticate({ email: 'target@throttle.test', password: PASSWORD, ip: '10.3.0.7' })).rejects.toBeInstanceOf(
        LimitExceeded,
      );
      await expect(authenticate({ email: 'target@throttle.test', password: PASSWORD })).rejects.toBeInstanceOf(LimitExceeded);
    });

    it('gives a fresh address one guess only', async () => {
      expect(await authenticate({ email: 'target@throttle.test', password: 'a guess', ip: '10.9.9.9' })).toBeNull();
      await expect(authenticate({ email: 'target@throttle.test', password: PASSWORD, ip: '10.9.9.9' })).rejects.toBeInstanceOf(
        LimitExceeded,
      );
    });

    it("lets the owner in with the right password from an address with no failures, which clears the lock", async () => {
      expect(await authenticate({ email: 'target@throttle.test', password: PASSWORD, ip: '192.0.2.50' })).toMatchObject({
        email: 'target@throttle.test',
      });
      expect(await authenticate({ email: 'target@throttle.test', password: PASSWORD, ip: '10.3.0.7' })).not.toBeNull();
    });
  });
});

describe('request throttle', () => {
  it('allows 10 sign-ups an hour per address', async () => {
    for (let i = 0; i < requestLimits('sign-up').address; i++) await recordRequest('sign-up', `new-${i}@throttle.test`, '10.4.0.1');
    await expect(recordRequest('sign-up', 'one-more@throttle.test', '10.4.0.1')).rejects.toThrow(/Too many sign-ups/);
    await expect(recordRequest('sign-up', 'one-more@throttle.test', '10.4.0.2')).resolves.toBeUndefined();
  });

  it('allows a few reset requests an hour per email, and more per address', async () => {
    for (let i = 0; i < requestLimits('password-reset').email!; i++) {
      await recordRequest('password-reset', 'target@throttle.test', `10.5.0.${i}`);
    }
    await expect(recordRequest('password-reset', 'target@throttle.test', '10.5.1.1')).rejects.toThrow(/Too many reset requests/);
    await expect(recordRequest('password-reset', 'pair@throttle.test', '10.5.1.1')).resolves.toBeUndefined();
  });

  it('keeps sign-up and reset requests out of the sign-in counts', async () => {
    expect(await authenticate({ email: 'pair@throttle.test', password: PASSWORD, ip: '10.4.0.1' })).not.toBeNull();
  });
});
