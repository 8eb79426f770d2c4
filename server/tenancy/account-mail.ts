// Mail about accounts: the link that completes a sign-up, the notice that
// someone tried to sign up with an existing address, password-reset links and
// the notice that an operator issued one. Sent only when SMTP_URL is set, and
// always after the transaction that decided it has committed; a failure is
// logged and never changes the answer the requester sees.
import nodemailer from 'nodemailer';
import { appUrl, env } from '../env';
import { logger } from '../observability/logger';

export type AccountMail = { to: string; subject: string; text: string };

export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

export const accountMails = {
  completeSignUp: (to: string, url: string): AccountMail => ({
    to,
    subject: 'Finish creating your Enclave account',
    text: `Someone (hopefully you) asked to create an Enclave account with this address.\n\nCreate the account: ${url}\n\nThe link works once and expires in 24 hours. If it wasn't you, ignore this mail: no account is created.`,
  }),
  alreadyRegistered: (to: string): AccountMail => ({
    to,
    subject: 'Someone tried to sign up with your address',
    text: `Someone tried to create an Enclave account with this address, which already has one. Nothing has changed.\n\nSign in: ${appUrl()}/sign-in\nForgot your password? ${appUrl()}/forgot-password\n\nIf it wasn't you, you can ignore this mail.`,
  }),
  passwordReset: (to: string, url: string): AccountMail => ({
    to,
    subject: 'Reset your Enclave password',
    text: `Someone (hopefully you) asked to reset the password of your Enclave account.\n\nChoose a new password: ${url}\n\nThe link works once and expires in 1 hour. Using it signs you out everywhere. If it wasn't you, ignore this mail: your password stays as it is.`,
  }),
  resetIssuedByOperator: (to: string): AccountMail => ({
    to,
    subject: 'A password reset link was issued for your Enclave account',
    text: `The platform operator issued a one-time password reset link for your Enclave account. If you did not ask for it, tell your operator: whoever uses the link can set your password.\n\nYour account's security activity: ${appUrl()}/account`,
  }),
};

/** Sends account mail; never throws (the requester's answer must not depend on it). */
export async function deliverAccountMail(mail: AccountMail | null): Promise<void> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!mail || !SMTP_URL) return;
  const transport = nodemailer.createTransport({ url: SMTP_URL, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  try {
    await transport.sendMail({ from: SMTP_FROM, to: mail.to, subject: mail.subject, text: mail.text });
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'account email failed');
  } finally {
    transport.close();
  }
}
