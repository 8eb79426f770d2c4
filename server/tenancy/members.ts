// Membership management inside one workspace: list, change role, remove, leave.
// Guarantees: only owners grant or take away ownership, and a workspace always
// keeps at least one owner.
import { Conflict, Forbidden, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { roleHasScope, scopeToManage, type WorkspaceRole } from './roles';

export type Actor = { userId: string; workspaceId: string; role: WorkspaceRole };

export type MemberView = {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: WorkspaceRole;
  joinedAt: Date;
};

export async function membersOfWorkspace(tx: Tx, workspaceId: string): Promise<MemberView[]> {
  const rows = await tx.membership.findMany({
    where: { workspaceId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, userId: true, role: true, createdAt: true, user: { select: { name: true, email: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    role: r.role,
    joinedAt: r.createdAt,
    name: r.user.name,
    email: r.user.email,
  }));
}

export async function membershipOfUser(tx: Tx, workspaceId: string, userId: string) {
  return tx.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { id: true, role: true },
  });
}

async function membershipById(tx: Tx, workspaceId: string, membershipId: string) {
  const membership = await tx.membership.findFirst({
    where: { id: membershipId, workspaceId },
    select: { id: true, userId: true, role: true },
  });
  if (!membership) throw new NotFound('Member not found');
  return membership;
}

/**
 * Locks the workspace's owner memberships, then counts them. Two owners demoting
 * or removing each other at once are serialised: the second waits, re-reads,
 * finds one owner left and is refused.
 */
async function assertAnotherOwnerRemains(tx: Tx, workspaceId: string): Promise<void> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM memberships WHERE workspace_id = ${workspaceId}::uuid AND role = 'owner' FOR UPDATE`;
  if (owners.length <= 1) throw new Conflict('A workspace needs at least one owner: make someone else an owner first');
}

function assertMayManage(actor: Actor, role: WorkspaceRole): void {
  if (!roleHasScope(actor.role, scopeToManage(role))) {
    throw new Forbidden(role === 'owner' ? 'Only owners can manage owners' : 'Your role cannot manage members');
  }
}

export async function changeMemberRole(tx: Tx, actor: Actor, membershipId: string, role: WorkspaceRole) {
  const target = await membershipById(tx, actor.workspaceId, membershipId);
  assertMayManage(actor, target.role);
  assertMayManage(actor, role);
  if (target.role === role) return { id: target.id, role };
  if (target.role === 'owner') await assertAnotherOwnerRemains(tx, actor.workspaceId);
  await tx.membership.update({ where: { id: target.id }, data: { role } });
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'member.role_changed',
    target: target.userId,
    metadata: { from: target.role, to: role },
  });
  return { id: target.id, role };
}

export async function removeMember(tx: Tx, actor: Actor, membershipId: string): Promise<void> {
  const target = await membershipById(tx, actor.workspaceId, membershipId);
  if (target.userId !== actor.userId) assertMayManage(actor, target.role);
  if (target.role === 'owner') await assertAnotherOwnerRemains(tx, actor.workspaceId);
  await tx.membership.delete({ where: { id: target.id } });
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: target.userId === actor.userId ? 'member.left' : 'member.removed',
    target: target.userId,
  });
}

export async function leaveWorkspace(tx: Tx, actor: Actor): Promise<void> {
  const own = await membershipOfUser(tx, actor.workspaceId, actor.userId);
  if (!own) throw new NotFound('Workspace not found');
  await removeMember(tx, actor, own.id);
}
