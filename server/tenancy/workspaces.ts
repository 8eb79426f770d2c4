// Workspaces: creation (the creator becomes owner), the signed-in user's list,
// resolving a URL slug to a workspace the user belongs to, rename and delete
// (with the slug typed as confirmation, leaving a receipt for the operator).
import { randomBytes, randomUUID } from 'node:crypto';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../domain-errors';
import { isUniqueViolation } from '../db/prisma-errors';
import { withAccounts, withUser, withWorkspace, type Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { dropWorkspaceVectorIndexes } from '../knowledge/workspace-vector-index';
import { recordAccountEvent } from './account-events';
import type { WorkspaceRole } from './roles';

export type WorkspaceSummary = { id: string; name: string; slug: string; role: WorkspaceRole };

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '') // drop the accents NFKD split off
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return base.length >= 2 ? base : `workspace-${base}`.replace(/-$/, '');
}

export async function createWorkspace(userId: string, input: { name: string; slug?: string }): Promise<WorkspaceSummary> {
  const name = input.name.trim();
  const base = input.slug ?? slugify(name);
  // A generated slug that is taken gets a short random suffix; a chosen one is a conflict.
  for (let attempt = 0; attempt < 4; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 56)}-${randomBytes(3).toString('hex')}`;
    const id = randomUUID();
    try {
      await withWorkspace(id, async (tx) => {
        await tx.workspace.create({ data: { id, name, slug } });
        await tx.membership.create({ data: { workspaceId: id, userId, role: 'owner' } });
        await recordAudit(tx, { workspaceId: id, actorUserId: userId, action: 'workspace.created', target: slug });
      });
      return { id, name, slug, role: 'owner' };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.slug) throw new Conflict('That workspace URL is already taken');
    }
  }
  throw new Conflict('Could not find a free workspace URL; choose one yourself');
}

export async function workspacesOfUser(userId: string): Promise<WorkspaceSummary[]> {
  const rows = await withUser(userId, (tx) =>
    tx.membership.findMany({
      where: { userId },
      select: { role: true, workspace: { select: { id: true, name: true, slug: true } } },
      orderBy: { workspace: { name: 'asc' } },
    }),
  );
  return rows.map((r) => ({ ...r.workspace, role: r.role }));
}

/** The workspace at /w/<slug>, if the user is a member; NotFound otherwise (existence never leaks). */
export async function workspaceBySlugForUser(userId: string, slug: string): Promise<WorkspaceSummary> {
  const row = await withUser(userId, (tx) =>
    tx.membership.findFirst({
      where: { userId, workspace: { slug } },
      select: { role: true, workspace: { select: { id: true, name: true, slug: true } } },
    }),
  );
  if (!row) throw new NotFound('Workspace not found');
  return { ...row.workspace, role: row.role };
}

export async function workspaceDetails(tx: Tx, workspaceId: string) {
  const workspace = await tx.workspace.findUnique({
    where: { id: workspaceId },
    select: { id: true, name: true, slug: true, plan: true, createdAt: true, _count: { select: { memberships: true } } },
  });
  if (!workspace) throw new NotFound('Workspace not found');
  const { _count, ...rest } = workspace;
  return { ...rest, memberCount: _count.memberships };
}

export async function updateWorkspace(
  tx: Tx,
  actorUserId: string,
  workspaceId: string,
  input: { name?: string; slug?: string },
) {
  try {
    const updated = await tx.workspace.update({
      where: { id: workspaceId },
      data: { name: input.name?.trim(), slug: input.slug },
      select: { id: true, name: true, slug: true },
    });
    await recordAudit(tx, {
      workspaceId,
      actorUserId,
      action: 'workspace.updated',
      metadata: { name: updated.name, slug: updated.slug },
    });
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('That workspace URL is already taken');
    throw error;
  }
}

/**
 * Deletes the workspace and every row it owns, once an owner has typed its URL
 * slug: delete_workspace() (migration 0022) destroys the data key first, removes
 * the rows of every table that holds them (found in the catalog, not a list) and
 * writes the operator's receipt — counts per table, never content. It runs as
 * the database owner because the app role may not delete append-only history
 * (audit, ledger); it acts only on this transaction's workspace and re-checks
 * the slug and the owner role itself. Returns the receipt's id.
 */
export async function deleteWorkspace(tx: Tx, actor: { userId: string; workspaceId: string }, confirmSlug: string): Promise<string> {
  const workspace = await tx.workspace.findUnique({ where: { id: actor.workspaceId }, select: { slug: true } });
  if (!workspace) throw new NotFound('Workspace not found');
  if (confirmSlug.trim() !== workspace.slug) {
    throw new InvalidInput(`Type the workspace URL, ${workspace.slug}, exactly to confirm`, 'confirm');
  }
  const membership = await tx.membership.findFirst({ where: { workspaceId: actor.workspaceId, userId: actor.userId }, select: { role: true } });
  if (membership?.role !== 'owner') throw new Forbidden('Only an owner can delete the workspace');
  const rows = await tx.$queryRaw<{ receipt: string }[]>`
    SELECT delete_workspace(${actor.workspaceId}::uuid, ${workspace.slug}, ${actor.userId}::uuid)::text AS receipt`;
  return rows[0]!.receipt;
}

/**
 * After the deletion has committed: the workspace's own vector indexes (which
 * name it in their predicate) are dropped, and, since its audit log went with it,
 * the deletion is written to the deleting owner's account trail.
 */
export async function afterWorkspaceDeleted(userId: string, deleted: { workspaceId: string; slug: string; receiptId: string }): Promise<void> {
  await dropWorkspaceVectorIndexes(deleted.workspaceId);
  await withAccounts((tx) =>
    recordAccountEvent(tx, { userId, actorUserId: userId, action: 'workspace.deleted', metadata: { slug: deleted.slug, receiptId: deleted.receiptId } }),
  );
}
