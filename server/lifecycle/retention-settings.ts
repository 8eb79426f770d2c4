// A workspace's retention settings: how many days runs, traces, thread messages
// and memory items are kept (null keeps them). Every change is audited and makes
// the sweep due at once, so a shortened period takes effect without waiting.
import type { Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';

export type RetentionSettings = {
  runsDays: number | null;
  tracesDays: number | null;
  messagesDays: number | null;
  memoryDays: number | null;
};

export type RetentionView = RetentionSettings & { lastSweepAt: Date | null; lastSweepDeleted: Record<string, number> | null };

const KEEP_ALL: RetentionSettings = { runsDays: null, tracesDays: null, messagesDays: null, memoryDays: null };

export async function retentionOf(tx: Tx, workspaceId: string): Promise<RetentionView> {
  const row = await tx.workspaceRetention.findUnique({
    where: { workspaceId },
    select: { runsDays: true, tracesDays: true, messagesDays: true, memoryDays: true, lastSweepAt: true, lastSweepDeleted: true },
  });
  if (!row) return { ...KEEP_ALL, lastSweepAt: null, lastSweepDeleted: null };
  return { ...row, lastSweepDeleted: (row.lastSweepDeleted as Record<string, number> | null) ?? null };
}

export async function setRetention(tx: Tx, actor: { userId: string; workspaceId: string }, settings: RetentionSettings): Promise<RetentionView> {
  const before = await retentionOf(tx, actor.workspaceId);
  const now = new Date();
  await tx.workspaceRetention.upsert({
    where: { workspaceId: actor.workspaceId },
    create: { workspaceId: actor.workspaceId, ...settings, updatedBy: actor.userId, nextSweepAt: now },
    update: { ...settings, updatedBy: actor.userId, updatedAt: now, nextSweepAt: now },
  });
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'retention.updated',
    metadata: {
      from: { runsDays: before.runsDays, tracesDays: before.tracesDays, messagesDays: before.messagesDays, memoryDays: before.memoryDays },
      to: settings,
    },
  });
  return retentionOf(tx, actor.workspaceId);
}
