// Which run a free worker executes next, claimed with FOR UPDATE SKIP LOCKED so
// two workers never take the same run. The order lives in one statement,
// claim_next_run() (migration 0015): FIFO within a workspace, round-robin across
// workspaces (the workspace served longest ago goes first). A running run whose
// lease expired is claimable again. The function sees only the runs table, as
// the app role under app.run_claim, for its own transaction.
import { claimRunRow } from '../db/run-statements';

export type ClaimedRun = { id: string; workspaceId: string; attemptCount: number };

/**
 * Claims one runnable run for `workerId` with a lease of `leaseMs`, or null when
 * none is waiting. Only ids come back; the run is read through withWorkspace().
 */
export async function claimNextRun(workerId: string, leaseMs: number): Promise<ClaimedRun | null> {
  const row = await claimRunRow(workerId, leaseMs);
  return row ? { id: row.id, workspaceId: row.workspace_id, attemptCount: row.attempt_count } : null;
}
