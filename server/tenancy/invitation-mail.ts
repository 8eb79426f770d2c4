// Mails invitation links when SMTP_URL is configured. Mail is a convenience:
// the inviter always sees the link. It is sent after the invitation has
// committed — never inside a transaction, so a slow mail server cannot hold the
// database — and a failure is logged and shown in the workspace's activity.
import nodemailer from 'nodemailer';
import { env } from '../env';
import { withWorkspace } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { logger } from '../observability/logger';
import type { Actor } from './members';

export type InvitationMail = { to: string; workspaceName: string; url: string };

/** The mail to send for a new invitation, or null when no mail server is configured. */
export function invitationMail(message: InvitationMail): InvitationMail | null {
  return env().SMTP_URL ? message : null;
}

async function send(message: InvitationMail): Promise<void> {
  const { SMTP_URL, SMTP_FROM } = env();
  const transport = nodemailer.createTransport({
    url: SMTP_URL,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: SMTP_FROM,
      to: message.to,
      subject: `You're invited to ${message.workspaceName} on Enclave`,
      text: `You have been invited to join ${message.workspaceName} on Enclave.\n\nAccept the invitation: ${message.url}\n\nThe link expires in 7 days.`,
    });
  } finally {
    transport.close();
  }
}

/** Sends the mail; on failure, logs it and records it in the workspace's audit trail. */
export async function deliverInvitationMail(actor: Actor, message: InvitationMail): Promise<void> {
  try {
    await send(message);
  } catch (error) {
    logger.warn({ err: (error as Error).message, workspaceId: actor.workspaceId }, 'invitation email failed');
    await withWorkspace(actor.workspaceId, (tx) =>
      recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'invitation.email_failed',
        target: message.to,
      }),
    );
  }
}
