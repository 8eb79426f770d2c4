// Public sign-up that never reveals whether an email already has an account:
// a new and an existing email get the same answer, after the same work (the
// password is hashed either way). Throttled per client address.
//   Without SMTP: a new email gets its account at once; the answer is neutral
//     ("if this email can be used, your account is ready — sign in").
//   With SMTP: "check your inbox" — a new email is mailed a one-time link that
//     creates the account when used; an existing one is told someone tried.
// Mail goes out after the transaction has committed.
import { InvalidInput } from '../domain-errors';
import { withAccounts } from '../db/with-workspace';
import { createAccountIn, normalizeEmail, type AccountSummary } from './accounts';
import { accountMails, deliverAccountMail, mailConfigured, type AccountMail } from './account-mail';
import { hashAccountToken, newAccountToken, pruneExpiredTokens } from './account-tokens';
import { recordRequest } from './login-throttle';
import { hashPassword } from './passwords';

export type SignUpOutcome = { outcome: 'ready' | 'check-inbox'; message: string };

export const SIGN_UP_MESSAGES: Record<SignUpOutcome['outcome'], string> = {
  ready: 'If this email can be used, your account is ready — sign in.',
  'check-inbox': 'Check your inbox: we sent a link to finish creating your account.',
};

export async function requestSignUp(
  input: { email: string; name: string; password: string },
  ip: string | undefined,
): Promise<SignUpOutcome> {
  const email = normalizeEmail(input.email);
  await recordRequest('sign-up', email, ip);
  const passwordHash = await hashPassword(input.password);
  const byMail = mailConfigured();
  const mail = await withAccounts(async (tx): Promise<AccountMail | null> => {
    const taken = (await tx.user.findUnique({ where: { email }, select: { id: true } })) !== null;
    if (!byMail) {
      if (!taken) await createAccountIn(tx, { email, name: input.name, passwordHash });
      return null;
    }
    if (taken) return accountMails.alreadyRegistered(email);
    await pruneExpiredTokens(tx);
    const link = newAccountToken('sign-up');
    await tx.accountToken.create({
      data: { purpose: 'sign-up', tokenHash: link.tokenHash, email, name: input.name.trim(), passwordHash, expiresAt: link.expiresAt },
      select: { id: true },
    });
    return accountMails.completeSignUp(email, link.url);
  });
  await deliverAccountMail(mail);
  const outcome = byMail ? 'check-inbox' : 'ready';
  return { outcome, message: SIGN_UP_MESSAGES[outcome] };
}

/**
 * Uses a mailed sign-up link: creates the account it describes, once. A link
 * that is unknown, used or expired — or whose email was taken meanwhile —
 * answers InvalidInput with a message that says what to do next.
 */
export async function completeSignUp(token: string): Promise<AccountSummary> {
  const created = await withAccounts(async (tx) => {
    const [claimed] = await tx.$queryRaw<{ email: string; name: string; passwordHash: string }[]>`
      SELECT email, name, password_hash AS "passwordHash" FROM claim_sign_up(${hashAccountToken(token)})`;
    if (!claimed) return 'invalid' as const;
    return (await createAccountIn(tx, claimed)) ?? ('taken' as const);
  });
  if (created === 'invalid') throw new InvalidInput('This link is not valid any more. Sign up again to get a new one.');
  if (created === 'taken') throw new InvalidInput('This email already has an account. Sign in instead.');
  return created;
}
