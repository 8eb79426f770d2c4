// The approval sweep's one cross-workspace read (expired_approvals(), migration
// 0027): ids of pending approvals past their expiry, seen under app.approval_sweep
// only in run_approvals. Each one is then decided under withWorkspace().
import { callStatement } from './statement-pool';

export type ExpiredApprovalRow = { workspace_id: string; id: string };

/** Up to `limit` pending approvals whose expiry has passed, the longest expired first. */
export async function expiredApprovalRows(limit: number): Promise<ExpiredApprovalRow[]> {
  return callStatement<ExpiredApprovalRow>('expired_approvals', 'SELECT workspace_id, id FROM expired_approvals($1)', [Math.round(limit)]);
}
