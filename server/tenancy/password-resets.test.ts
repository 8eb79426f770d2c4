// Password reset links: the same answer for known and unknown emails, mailed
// only when mail is configured, throttled; a link works once, for an hour, sets
// the password and ends every session. The operator can issue a link for
// anyone but themself; every issue and use lands in the account audit trail,
// which the user sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../env';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { decodedText, startSmtpSink, type SmtpSink } from '../testing/smtp-sink';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { authenticate, signUp, type AccountSummary } from './accounts';
import { accountEventsOf, recentAccountEvents } from './account-events';
import { requestPasswordReset, resetPassword, RESET_REQUESTED_MESSAGE, RESET_WITHOUT_MAIL_MESSAGE } from './password-resets';
import { activeSessionAccount, openSession } from './sessions';

let db: TestDatabase;
let sink: SmtpSink;
let operator: AccountSummary;
let otherOperator: AccountSummary;
let user: AccountSummary;

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startSmtpSink();
  operator = await signUp({ email: 'ops@reset.test', name: 'Ops', password: 'operator password' });
  otherOperator = await signUp({ email: 'ops2@reset.test', name: 'Ops Two', password: 'operator password' });
  await db.owner.query('UPDATE users SET is_operator = true WHERE id = $1', [otherOperator.id]);
  user = await signUp({ email: 'user@reset.test', name: 'User', password: 'old password here' });
});
afterAll(async () => {
  await sink.close();
  await db.stop();
});

const tokenIn = (text: string) => /\/reset-password\/([\w-]+)/.exec(text)![1]!;

describe('password reset by mail', () => {
  it('without mail, points to the operator and sends nothing', async () => {
    setRuntimeEnv({ SMTP_URL: '' });
    expect(await requestPasswordReset('user@reset.test', '10.8.0.1')).toEqual({ message: RESET_WITHOUT_MAIL_MESSAGE, mailed: false });
    expect(sink.messages).toHaveLength(0);
  });

  it('answers known and unknown emails alike, mailing only the known one', async () => {
    setRuntimeEnv({ SMTP_URL: sink.url });
    const caller = createCaller(createContext(null, '10.8.0.2'));
    const known = await caller.account.requestPasswordReset({ email: 'User@reset.test' });
    const unknown = await caller.account.requestPasswordReset({ email: 'ghost@reset.test' });
    expect(known).toEqual({ message: RESET_REQUESTED_MESSAGE, mailed: true });
    expect(unknown).toEqual(known);
    expect(sink.messages.map((m) => m.recipients[0])).toEqual(['user@reset.test']);
  });

  it('sets the password with the link, ends every session, and works only once', async () => {
    const token = tokenIn(decodedText(sink.messages.at(-1)!));
    const session = await openSession(user.id, {});
    const caller = createCaller(createContext(null, '10.8.0.3'));
    expect(await caller.account.resetLink({ token })).toEqual({ email: 'user@reset.test' });
    expect(await caller.account.resetPassword({ token, password: 'new password here' })).toEqual({ email: 'user@reset.test' });
    expect(await activeSessionAccount(session, user.id)).toBeNull();
    expect(await authenticate({ email: 'user@reset.test', password: 'new password here' })).not.toBeNull();
    await expect(caller.account.resetPassword({ token, password: 'third password here' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.account.resetLink({ token })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await accountEventsOf(user.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['password_reset.requested', 'password_reset.used']),
    );
  });

  it('refuses an expired link', async () => {
    await requestPasswordReset('user@reset.test', '10.8.0.4');
    const token = tokenIn(decodedText(sink.messages.at(-1)!));
    await db.owner.query("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL");
    await expect(resetPassword(token, 'expired password', '10.8.0.4')).rejects.toThrow(/not valid any more/);
  });

  it('limits reset mail per email to 3 an hour, from any address', async () => {
    await expect(requestPasswordReset('user@reset.test', '10.8.0.5')).resolves.toMatchObject({ mailed: true });
    await expect(requestPasswordReset('user@reset.test', '10.8.0.6')).rejects.toThrow(/Too many reset requests/);
  });
});

describe('reset links issued by the operator', () => {
  it('is open to the operator only', async () => {
    await expect(createCaller(createContext(user)).admin.issueResetLink({ userId: operator.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("refuses the operator's own account", async () => {
    await expect(createCaller(createContext(operator)).admin.issueResetLink({ userId: operator.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('issues a one-hour link for another account, records it, tells the user, and records its use', async () => {
    setRuntimeEnv({ SMTP_URL: sink.url });
    const started = Date.now();
    const issued = await createCaller(createContext(operator, '10.9.0.1')).admin.issueResetLink({ userId: otherOperator.id });
    expect(issued.email).toBe('ops2@reset.test');
    expect(issued.expiresAt.getTime() - started).toBeLessThanOrEqual(60 * 60 * 1000 + 1000);
    expect(decodedText(sink.messages.at(-1)!)).toContain('The platform operator issued a one-time password reset link');

    const token = issued.url.split('/reset-password/')[1]!;
    const { rows } = await db.owner.query('SELECT token_hash FROM account_tokens WHERE issued_by_id = $1', [operator.id]);
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    await resetPassword(token, 'taken over password', '10.9.0.2');

    const seenByUser = await accountEventsOf(otherOperator.id);
    expect(seenByUser.map((e) => [e.action, e.actorEmail])).toEqual([
      ['password_reset.used', null],
      ['password_reset.issued', 'the operator'],
    ]);
    const seenByOperator = await createCaller(createContext(operator)).admin.accountEvents();
    expect(seenByOperator).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'password_reset.issued', subjectEmail: 'ops2@reset.test', actorEmail: 'ops@reset.test' })]),
    );
    expect((await recentAccountEvents()).length).toBeGreaterThanOrEqual(2);
  });

  it('lists accounts for the operator, searchable, without password hashes', async () => {
    const users = await createCaller(createContext(operator)).admin.users({ search: 'USER@' });
    expect(users).toEqual([expect.objectContaining({ email: 'user@reset.test', name: 'User', isOperator: false })]);
    expect(Object.keys(users[0]!)).not.toContain('passwordHash');
  });
});
