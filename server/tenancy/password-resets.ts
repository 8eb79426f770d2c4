// Password reset by one-time link (1 hour, single use, only the hash stored).
// A link comes either by mail, on request from the sign-in page (same neutral
// answer whether or not the email has an account; throttled per address and
// per email), or from the operator, who can issue one for any account but their
// own when no mail is configured. Every issued link and every use is recorded
// in the account's audit trail, which the user sees on their account page, and
// using a link ends all of the account's sessions — an operator cannot take an
// account over silently.
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { withAccounts } from '../db/with-workspace';
import { normalizeEmail } from './accounts';
import { accountMails, deliverAccountMail, mailConfigured, type AccountMail } from './account-mail';
import { recordAccountEvent } from './account-events';
import { hashAccountToken, newAccountToken, pruneExpiredTokens } from './account-tokens';
import { recordRequest } from './login-throttle';
import { hashPassword } from './passwords';
import { revokeSessionsIn } from './sessions';

export const RESET_REQUESTED_MESSAGE =
  'If an account uses this email, we sent it a link to choose a new password. The link works for 1 hour.';
export const RESET_WITHOUT_MAIL_MESSAGE =
  'This installation sends no mail. Ask your platform operator for a password reset link.';

/** The public "forgot password" request: always the same answer for a given configuration. */
export async function requestPasswordReset(email: string, ip: string | undefined): Promise<{ message: string; mailed: boolean }> {
  if (!mailConfigured()) return { message: RESET_WITHOUT_MAIL_MESSAGE, mailed: false };
  const normalized = normalizeEmail(email);
  await recordRequest('password-reset', normalized, ip);
  const mail = await withAccounts(async (tx): Promise<AccountMail | null> => {
    const user = await tx.user.findUnique({ where: { email: normalized }, select: { id: true } });
    if (!user) return null;
    await pruneExpiredTokens(tx);
    const link = newAccountToken('password-reset');
    await tx.accountToken.create({
      data: { purpose: 'password-reset', tokenHash: link.tokenHash, email: normalized, userId: user.id, expiresAt: link.expiresAt },
      select: { id: true },
    });
    await recordAccountEvent(tx, { userId: user.id, actorUserId: null, action: 'password_reset.requested', clientAddress: ip });
    return accountMails.passwordReset(normalized, link.url);
  });
  await deliverAccountMail(mail);
  return { message: RESET_REQUESTED_MESSAGE, mailed: true };
}

/** The operator issues a reset link for another account; the link is shown to them once. */
export async function issueResetLink(
  operator: { userId: string; clientAddress?: string },
  userId: string,
): Promise<{ url: string; email: string; expiresAt: Date }> {
  if (operator.userId === userId) {
    throw new Conflict('You cannot issue a reset link for your own account. Change your password from your account page.');
  }
  const issued = await withAccounts(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, isOperator: true } });
    if (!user) throw new NotFound('Account not found');
    await pruneExpiredTokens(tx);
    const link = newAccountToken('password-reset');
    await tx.accountToken.create({
      data: { purpose: 'password-reset', tokenHash: link.tokenHash, email: user.email, userId, issuedById: operator.userId, expiresAt: link.expiresAt },
      select: { id: true },
    });
    await recordAccountEvent(tx, {
      userId,
      actorUserId: operator.userId,
      action: 'password_reset.issued',
      clientAddress: operator.clientAddress,
      metadata: { targetIsOperator: user.isOperator },
    });
    return { url: link.url, email: user.email, expiresAt: link.expiresAt };
  });
  await deliverAccountMail(accountMails.resetIssuedByOperator(issued.email));
  return issued;
}

/** Whom a reset link is for, or NotFound when it is unknown, used or expired. */
export async function resetLinkPreview(token: string): Promise<{ email: string }> {
  const row = await withAccounts((tx) =>
    tx.accountToken.findFirst({
      where: { tokenHash: hashAccountToken(token), purpose: 'password-reset', usedAt: null, expiresAt: { gt: new Date() } },
      select: { email: true },
    }),
  );
  if (!row) throw new NotFound('This reset link is not valid any more. Ask for a new one.');
  return row;
}

/** Uses a reset link: sets the password, ends every session, marks the link used. */
export async function resetPassword(token: string, password: string, ip: string | undefined): Promise<{ email: string }> {
  const passwordHash = await hashPassword(password);
  const tokenHash = hashAccountToken(token);
  const email = await withAccounts(async (tx) => {
    const now = new Date();
    // Claiming the link and using it are one update: two uses cannot both pass.
    const claimed = await tx.accountToken.updateManyAndReturn({
      where: { tokenHash, purpose: 'password-reset', usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      select: { userId: true, email: true, issuedById: true },
    });
    const link = claimed[0];
    if (!link?.userId) return null;
    await tx.user.update({ where: { id: link.userId }, data: { passwordHash }, select: { id: true } });
    const ended = await revokeSessionsIn(tx, link.userId);
    await recordAccountEvent(tx, {
      userId: link.userId,
      actorUserId: null,
      action: 'password_reset.used',
      clientAddress: ip,
      metadata: { sessionsEnded: ended, issuedByOperator: link.issuedById !== null },
    });
    return link.email;
  });
  if (!email) throw new InvalidInput('This reset link is not valid any more. Ask for a new one.');
  return { email };
}
