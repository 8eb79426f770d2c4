// Mails invitation links when SMTP_URL is configured. Mail is a convenience: a
// failure is logged and reported to the inviter, who still sees the link.
import nodemailer from 'nodemailer';
import { env } from '../env';
import { logger } from '../observability/logger';

export async function sendInvitationEmail(message: { to: string; workspaceName: string; url: string }): Promise<boolean> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) return false;
  try {
    const transport = nodemailer.createTransport(SMTP_URL);
    await transport.sendMail({
      from: SMTP_FROM,
      to: message.to,
      subject: `You're invited to ${message.workspaceName} on Enclave`,
      text: `You have been invited to join ${message.workspaceName} on Enclave.\n\nAccept the invitation: ${message.url}\n\nThe link expires in 7 days.`,
    });
    return true;
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'invitation email failed');
    return false;
  }
}
