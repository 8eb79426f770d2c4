// Invitations by email. The link carries a random token; only its SHA-256 is
// stored, so the link is shown once (and mailed when SMTP is configured). An
// invitation is accepted once, by the account with the invited email, before it
// expires.
import { createHash, randomBytes } from 'node:crypto';
import { Conflict, Forbidden, NotFound } from '../domain-errors';
import { appUrl } from '../env';
import { withInvitationToken, withWorkspace, type Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { normalizeEmail } from './accounts';
import { invitationMail } from './invitation-mail';
import type { Actor } from './members';
import { roleHasScope, scopeToManage, type WorkspaceRole } from './roles';
import { workspacesOfUser } from './workspaces';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function invitationUrl(token: string): string {
  return `${appUrl()}/invite/${token}`;
}

export type InvitationView = {
  id: string;
  email: string;
  role: WorkspaceRole;
  createdAt: Date;
  expiresAt: Date;
  expired: boolean;
};

export async function pendingInvitations(tx: Tx, workspaceId: string): Promise<InvitationView[]> {
  const rows = await tx.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: 'desc' },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
  });
  const now = Date.now();
  return rows.map((r) => ({ ...r, expired: r.expiresAt.getTime() <= now }));
}

/** Pending invitations for an email are replaced only when the caller says so, and only by a role that could revoke them. */
export type InviteInput = { email: string; role: WorkspaceRole; replaceExisting?: boolean };

export async function inviteMember(tx: Tx, actor: Actor, input: InviteInput) {
  assertMayManage(actor, input.role, 'invite');
  const email = normalizeEmail(input.email);
  const existing = await tx.membership.findFirst({
    where: { workspaceId: actor.workspaceId, user: { email } },
    select: { id: true },
  });
  if (existing) throw new Conflict('This person is already a member');
  const pending = await tx.invitation.findMany({
    where: { workspaceId: actor.workspaceId, email, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, role: true },
  });
  if (pending.length > 0 && !input.replaceExisting) {
    throw new Conflict(`${email} already has a pending invitation. Replace it to send a new link; the old one will stop working.`);
  }
  for (const invitation of pending) await revokePending(tx, actor, invitation, 'replaced');
  return issueInvitation(tx, actor, email, input.role, { resent: false });
}

/**
 * Sends a fresh link for a pending invitation. Only token hashes are stored, so
 * the old link cannot be shown again: it is revoked (audited as resent) and a
 * new invitation with the same email and role takes its place.
 */
export async function resendInvitation(tx: Tx, actor: Actor, invitationId: string) {
  const invitation = await lockedPendingInvitation(tx, actor, invitationId);
  await revokePending(tx, actor, invitation, 'resent');
  return issueInvitation(tx, actor, invitation.email, invitation.role, { resent: true });
}

export async function revokeInvitation(tx: Tx, actor: Actor, invitationId: string): Promise<void> {
  const invitation = await lockedPendingInvitation(tx, actor, invitationId);
  await revokePending(tx, actor, invitation, 'revoked');
}

function assertMayManage(actor: Actor, role: WorkspaceRole, action: 'invite' | 'revoke') {
  if (roleHasScope(actor.role, scopeToManage(role))) return;
  if (action === 'invite') throw new Forbidden(role === 'owner' ? 'Only owners can invite owners' : 'Your role cannot invite members');
  throw new Forbidden('Only owners can revoke or replace this invitation');
}

type PendingInvitation = { id: string; email: string; role: WorkspaceRole };

async function lockedPendingInvitation(tx: Tx, actor: Actor, invitationId: string): Promise<PendingInvitation> {
  const invitation = await tx.invitation.findFirst({
    where: { id: invitationId, workspaceId: actor.workspaceId, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, role: true },
  });
  if (!invitation) throw new NotFound('Invitation not found');
  return invitation;
}

/** Revokes one pending invitation under the revocation rule, with the reason in the audit trail. */
async function revokePending(tx: Tx, actor: Actor, invitation: PendingInvitation, reason: 'revoked' | 'replaced' | 'resent') {
  assertMayManage(actor, invitation.role, 'revoke');
  // Claimed with a guard, so a concurrent accept or revoke wins cleanly instead of being overwritten.
  const claimed = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (claimed.count !== 1) throw new Conflict('This invitation has just been used or revoked');
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'invitation.revoked',
    target: invitation.email,
    metadata: { role: invitation.role, reason },
  });
}

async function issueInvitation(tx: Tx, actor: Actor, email: string, role: WorkspaceRole, how: { resent: boolean }) {
  const token = randomBytes(32).toString('base64url');
  const invitation = await tx.invitation.create({
    data: {
      workspaceId: actor.workspaceId,
      email,
      role,
      tokenHash: hashInvitationToken(token),
      invitedById: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, workspace: { select: { name: true } } },
  });
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'invitation.created',
    target: email,
    metadata: { role, resent: how.resent },
  });
  const url = invitationUrl(token);
  const { workspace, ...view } = invitation;
  // Mailed by the caller once this transaction has committed (see invitation-mail.ts).
  const mail = invitationMail({ to: email, workspaceName: workspace.name, url });
  return { invitation: { ...view, expired: false }, url, mail };
}

export type InvitationPreview = {
  workspaceName: string;
  email: string;
  role: WorkspaceRole;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  /** The workspace's URL slug, only when the viewer is already a member (e.g. opening a link they used). */
  memberSlug: string | null;
};

/** What the invite page shows to whoever holds the link (`viewerId`: the signed-in user, if any). */
export async function previewInvitation(token: string, viewerId?: string): Promise<InvitationPreview> {
  const row = await withInvitationToken(hashInvitationToken(token), (tx) =>
    tx.invitation.findUnique({
      where: { tokenHash: hashInvitationToken(token) },
      select: {
        workspaceId: true,
        email: true,
        role: true,
        acceptedAt: true,
        revokedAt: true,
        expiresAt: true,
        workspace: { select: { name: true, slug: true } },
      },
    }),
  );
  if (!row) throw new NotFound('This invitation link is not valid');
  const status = row.acceptedAt
    ? 'accepted'
    : row.revokedAt
      ? 'revoked'
      : row.expiresAt.getTime() <= Date.now()
        ? 'expired'
        : 'pending';
  const memberSlug = viewerId && (await workspacesOfUser(viewerId)).some((w) => w.id === row.workspaceId) ? row.workspace.slug : null;
  return { workspaceName: row.workspace.name, email: row.email, role: row.role, status, memberSlug };
}

export async function acceptInvitation(user: { id: string; email: string }, token: string) {
  const tokenHash = hashInvitationToken(token);
  const found = await withInvitationToken(tokenHash, (tx) =>
    tx.invitation.findUnique({ where: { tokenHash }, select: { id: true, workspaceId: true, email: true } }),
  );
  if (!found) throw new NotFound('This invitation link is not valid');
  if (normalizeEmail(user.email) !== found.email) {
    throw new Forbidden(`This invitation was sent to ${found.email}. Sign in with that account to accept it.`);
  }
  return withWorkspace(found.workspaceId, async (tx) => {
    // Claim the invitation atomically: a second accept finds nothing to claim.
    const claimed = await tx.invitation.updateMany({
      where: { id: found.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw new Conflict('This invitation has already been used, revoked or has expired');
    const invitation = await tx.invitation.findUniqueOrThrow({
      where: { id: found.id },
      select: { role: true, workspace: { select: { id: true, name: true, slug: true } } },
    });
    const existing = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: found.workspaceId, userId: user.id } },
      select: { role: true },
    });
    if (existing) throw new Conflict('You are already a member of this workspace');
    await tx.membership.create({ data: { workspaceId: found.workspaceId, userId: user.id, role: invitation.role } });
    await recordAudit(tx, {
      workspaceId: found.workspaceId,
      actorUserId: user.id,
      action: 'invitation.accepted',
      target: found.email,
      metadata: { role: invitation.role },
    });
    return { ...invitation.workspace, role: invitation.role };
  });
}
