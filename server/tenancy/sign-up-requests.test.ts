// Sign-up never tells whether an email is taken: same answer, same work, for a
// new and an existing email, with and without mail. With mail, the account is
// created only when the mailed link is used (once), and the owner of an
// existing address is told someone tried. Mail goes out after commit, over a
// real SMTP socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../env';
import { withAccounts } from '../db/with-workspace';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { decodedText, startSmtpSink, type SmtpSink } from '../testing/smtp-sink';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { accountExists, authenticate, signUp } from './accounts';
import { completeSignUp, requestSignUp, SIGN_UP_MESSAGES } from './sign-up-requests';

let db: TestDatabase;
let sink: SmtpSink;
/** Whether the mailed link's row was committed (visible to another connection) when the mail arrived. */
const linkCommittedAtDelivery: boolean[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startSmtpSink(async (message) => {
    const { rows } = await db.owner.query('SELECT 1 FROM account_tokens WHERE email = $1', [message.recipients[0]]);
    linkCommittedAtDelivery.push(rows.length > 0);
  });
  await signUp({ email: 'taken@signup.test', name: 'Original', password: 'original password' });
});
afterAll(async () => {
  await sink.close();
  await db.stop();
});

const publicCaller = (ip: string) => createCaller(createContext(null, ip));
const linkIn = (text: string) => /\/sign-up\/confirm\/([\w-]+)/.exec(text)?.[1];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

describe('sign-up without mail', () => {
  it('answers a new and an existing email identically, creating only the new account', async () => {
    setRuntimeEnv({ SMTP_URL: '' });
    const fresh = await publicCaller('10.6.0.1').account.signUp({ email: 'Fresh@signup.test', name: 'Fresh', password: 'fresh password' });
    const taken = await publicCaller('10.6.0.1').account.signUp({ email: 'taken@signup.test', name: 'Intruder', password: 'intruder password' });
    expect(fresh).toEqual({ outcome: 'ready', message: SIGN_UP_MESSAGES.ready });
    expect(taken).toEqual(fresh);
    expect(await authenticate({ email: 'fresh@signup.test', password: 'fresh password' })).toMatchObject({ name: 'Fresh' });
    expect(await authenticate({ email: 'taken@signup.test', password: 'intruder password' })).toBeNull();
    expect(await authenticate({ email: 'taken@signup.test', password: 'original password' })).toMatchObject({ name: 'Original' });
  });

  it('does the same work either way: the password is hashed for an existing email too', async () => {
    const runs = { fresh: [] as number[], taken: [] as number[] };
    for (let i = 0; i < 3; i++) {
      runs.fresh.push((await timed(() => requestSignUp({ email: `timing-${i}@signup.test`, name: 'T', password: 'timing password' }, `10.6.1.${i}`)))[1]);
      runs.taken.push((await timed(() => requestSignUp({ email: 'taken@signup.test', name: 'T', password: 'timing password' }, `10.6.2.${i}`)))[1]);
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[1]!;
    // Generous bounds: the point is that neither path skips the (dominant) password hash.
    expect(median(runs.taken)).toBeGreaterThan(median(runs.fresh) * 0.4);
    expect(median(runs.taken)).toBeLessThan(median(runs.fresh) * 2.5);
  });

  it('refuses an 11th sign-up from one address within the hour', async () => {
    for (let i = 0; i < 10; i++) {
      await publicCaller('10.6.3.1').account.signUp({ email: `burst-${i}@signup.test`, name: 'B', password: 'burst password' });
    }
    await expect(
      publicCaller('10.6.3.1').account.signUp({ email: 'burst-x@signup.test', name: 'B', password: 'burst password' }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('sign-up with mail', () => {
  it('answers "check your inbox" for both, mails a link to the new email and a notice to the existing one', async () => {
    setRuntimeEnv({ SMTP_URL: sink.url });
    const before = sink.messages.length;
    const fresh = await publicCaller('10.7.0.1').account.signUp({ email: 'mailed@signup.test', name: 'Mailed', password: 'mailed password' });
    const taken = await publicCaller('10.7.0.1').account.signUp({ email: 'taken@signup.test', name: 'Intruder', password: 'intruder password' });
    expect(fresh).toEqual({ outcome: 'check-inbox', message: SIGN_UP_MESSAGES['check-inbox'] });
    expect(taken).toEqual(fresh);

    const [toFresh, toTaken] = sink.messages.slice(before);
    expect(toFresh!.recipients).toEqual(['mailed@signup.test']);
    expect(decodedText(toFresh!)).toContain('Subject: Finish creating your Enclave account');
    expect(toTaken!.recipients).toEqual(['taken@signup.test']);
    expect(decodedText(toTaken!)).toContain('Someone tried to create an Enclave account with this address');
    expect(decodedText(toTaken!)).toContain('/forgot-password');
    expect(linkCommittedAtDelivery[0]).toBe(true);
    expect(await accountExists('mailed@signup.test')).toBe(false);
  });

  it('creates the account when the link is used, once', async () => {
    const token = linkIn(decodedText(sink.messages.find((m) => m.recipients[0] === 'mailed@signup.test')!))!;
    const { rows } = await db.owner.query('SELECT token_hash FROM account_tokens WHERE email = $1', ['mailed@signup.test']);
    expect(rows[0].token_hash).not.toContain(token);
    expect(await publicCaller('10.7.0.2').account.completeSignUp({ token })).toEqual({ email: 'mailed@signup.test' });
    expect(await authenticate({ email: 'mailed@signup.test', password: 'mailed password' })).toMatchObject({ name: 'Mailed' });
    await expect(completeSignUp(token)).rejects.toThrow(/not valid any more/);
  });

  it('refuses an expired link, and a link whose email was taken meanwhile', async () => {
    await requestSignUp({ email: 'late@signup.test', name: 'Late', password: 'late password' }, '10.7.1.1');
    const late = linkIn(decodedText(sink.messages.at(-1)!))!;
    await db.owner.query("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE email = 'late@signup.test'");
    await expect(completeSignUp(late)).rejects.toThrow(/not valid any more/);
    expect(await accountExists('late@signup.test')).toBe(false);

    await requestSignUp({ email: 'race@signup.test', name: 'Race', password: 'race password' }, '10.7.1.1');
    const race = linkIn(decodedText(sink.messages.at(-1)!))!;
    await signUp({ email: 'race@signup.test', name: 'Winner', password: 'winner password' });
    await expect(completeSignUp(race)).rejects.toThrow(/already has an account/);
  });

  it("keeps a pending sign-up's password hash out of the app role's reach", async () => {
    await expect(withAccounts((tx) => tx.accountToken.findFirst({ select: { passwordHash: true } }))).rejects.toThrow(/permission denied/);
  });
});
