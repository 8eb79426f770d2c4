// The operator's trail of deleted workspaces: what was deleted, when, by whom,
// and how many rows per table — never content (written by delete_workspace(),
// migration 0022; readable only under app.operator).
import { withOperatorDirectory } from '../db/with-workspace';

export type DeletionReceipt = {
  id: string;
  deletedWorkspaceId: string;
  slug: string;
  deletedBy: string | null;
  rowCounts: Record<string, number>;
  totalRows: number;
  dataKeyDestroyed: boolean;
  createdAt: Date;
};

export async function deletionReceipts(limit = 50): Promise<DeletionReceipt[]> {
  const rows = await withOperatorDirectory((tx) =>
    tx.workspaceDeletionReceipt.findMany({ orderBy: { createdAt: 'desc' }, take: limit }),
  );
  return rows.map((r) => ({ ...r, rowCounts: r.rowCounts as Record<string, number>, totalRows: Number(r.totalRows) }));
}
