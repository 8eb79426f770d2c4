// The audit log as people read it: a workspace's events filtered by actor,
// action and time, newest first, in pages (keyset on the chain position, so a
// page never repeats or skips an event while new ones arrive), with actor names.
import type { Tx } from '../db/with-workspace';
import type { Prisma } from '../db/generated/client';

export type AuditFilter = {
  /** A user id, or 'system' for events no user caused (runs, workers). */
  actor?: string;
  action?: string;
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
};

export type AuditLogEvent = {
  seq: number;
  id: string;
  createdAt: Date;
  actorUserId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  metadata: Record<string, unknown>;
  hash: string;
};

export type AuditPage = { events: AuditLogEvent[]; nextCursor: number | null };

function whereOf(workspaceId: string, filter: AuditFilter, before?: number | null): Prisma.AuditEventWhereInput {
  return {
    workspaceId,
    ...(filter.actor === 'system' ? { actorUserId: null } : filter.actor ? { actorUserId: filter.actor } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
    ...(before ? { seq: { lt: BigInt(before) } } : {}),
  };
}

export async function auditLogPage(
  tx: Tx,
  workspaceId: string,
  filter: AuditFilter,
  page: { before?: number | null; limit: number },
): Promise<AuditPage> {
  const rows = await tx.auditEvent.findMany({
    where: whereOf(workspaceId, filter, page.before),
    orderBy: { seq: 'desc' },
    take: page.limit + 1,
    select: { seq: true, id: true, createdAt: true, actorUserId: true, action: true, target: true, metadata: true, hash: true },
  });
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  const actorIds = [...new Set(kept.map((r) => r.actorUserId).filter((id): id is string => id !== null))];
  // Members' names are visible to the workspace; a former member's id stays as it is.
  const users = actorIds.length
    ? await tx.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })
    : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  const events = kept.map((r) => ({
    ...r,
    seq: Number(r.seq),
    actorName: r.actorUserId ? (byId.get(r.actorUserId)?.name ?? null) : null,
    actorEmail: r.actorUserId ? (byId.get(r.actorUserId)?.email ?? null) : null,
    metadata: (r.metadata ?? {}) as Record<string, unknown>,
  }));
  return { events, nextCursor: more ? events[events.length - 1]!.seq : null };
}

/** The distinct actions and actors recorded in the workspace, for the filter menus. */
export async function auditFilterChoices(tx: Tx, workspaceId: string) {
  const actions = await tx.auditEvent.findMany({ where: { workspaceId }, distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } });
  const actors = await tx.auditEvent.findMany({
    where: { workspaceId, actorUserId: { not: null } },
    distinct: ['actorUserId'],
    select: { actorUserId: true },
  });
  const ids = actors.map((a) => a.actorUserId!).filter(Boolean);
  const users = ids.length ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } }) : [];
  const named = new Map(users.map((u) => [u.id, `${u.name} (${u.email})`]));
  return {
    actions: actions.map((a) => a.action),
    actors: ids.map((id) => ({ id, label: named.get(id) ?? `Former member ${id.slice(0, 8)}` })).sort((a, b) => a.label.localeCompare(b.label)),
  };
}
