// The retention job: claims a workspace whose sweep is due (claim_retention_sweep,
// migration 0022) and deletes what is past its age in batches, each batch its own
// short transaction (apply_retention), so no sweep holds a long transaction or
// locks a workspace's tables for long. Records what it deleted on the settings row.
import { withWorkspace, withoutTenant } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';

export type SweepResult = { workspaceId: string; deleted: Record<string, number> };

/** The next workspace whose sweep is due, held for `intervalSeconds`; null when none is. */
export async function claimRetentionSweep(intervalSeconds: number): Promise<{ id: string } | null> {
  const rows = await withoutTenant((tx) => tx.$queryRaw<{ id: string | null }[]>`SELECT claim_retention_sweep(${intervalSeconds}::int)::text AS id`);
  const id = rows[0]?.id;
  return id ? { id } : null;
}

/** Deletes everything past its retention in one workspace, `batchSize` rows per kind per transaction. */
export async function sweepWorkspace(workspaceId: string, batchSize: number): Promise<SweepResult> {
  const deleted: Record<string, number> = {};
  for (;;) {
    const rows = await withWorkspace(workspaceId, (tx) =>
      tx.$queryRaw<{ kind: string; deleted: bigint }[]>`SELECT kind, deleted FROM apply_retention(${batchSize}::int)`,
    );
    for (const row of rows) deleted[row.kind] = (deleted[row.kind] ?? 0) + Number(row.deleted);
    if (rows.every((row) => Number(row.deleted) < batchSize)) break;
  }
  const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
  await withWorkspace(workspaceId, async (tx) => {
    await tx.workspaceRetention.updateMany({ where: { workspaceId }, data: { lastSweepDeleted: deleted } });
    if (total > 0) {
      await recordAudit(tx, { workspaceId, actorUserId: null, action: 'retention.swept', metadata: deleted });
    }
  });
  return { workspaceId, deleted };
}
