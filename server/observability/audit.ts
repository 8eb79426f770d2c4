// Append-only audit trail per workspace. The app role can insert and read audit
// rows but holds no UPDATE or DELETE grant, so history cannot be rewritten.
import type { Tx } from '../db/with-workspace';
import type { Prisma } from '../db/generated/client';

export type AuditEntry = {
  workspaceId: string;
  actorUserId: string | null;
  action: string;
  target?: string;
  metadata?: Prisma.InputJsonObject;
};

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      workspaceId: entry.workspaceId,
      actorUserId: entry.actorUserId,
      action: entry.action,
      target: entry.target ?? null,
      metadata: entry.metadata ?? {},
    },
  });
}

/** Recent events for the activity feed, with the recorded reason (e.g. why an invitation was revoked) when there is one. */
export async function recentAuditEvents(tx: Tx, workspaceId: string, limit = 20) {
  const rows = await tx.auditEvent.findMany({
    where: { workspaceId },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, action: true, target: true, actorUserId: true, createdAt: true, metadata: true },
  });
  return rows.map(({ metadata, ...row }) => {
    const fields = (metadata as Record<string, unknown> | null) ?? {};
    const reason = fields.reason;
    return { ...row, reason: typeof reason === 'string' ? reason : null, budget: budgetOf(row.action, fields) };
  });
}

/** A budget event's budget name (and threshold, for an alert), as recorded with it. */
function budgetOf(action: string, fields: Record<string, unknown>): { name: string; threshold: number | null } | null {
  if (!action.startsWith('budget.')) return null;
  const name = typeof fields.name === 'string' ? fields.name : (fields.after as { name?: unknown } | undefined)?.name;
  return { name: typeof name === 'string' ? name : 'a budget', threshold: typeof fields.threshold === 'number' ? fields.threshold : null };
}
