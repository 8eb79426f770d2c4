// Which run a free worker executes next, claimed with FOR UPDATE SKIP LOCKED so
// two workers never take the same run. The order lives in one statement,
// claim_next_run() (migration 0025): weighted fair queuing across workspaces
// (start-time fair queuing on per-workspace clocks, weight from the plan or the
// operator's override), FIFO within a workspace, a workspace at its concurrency
// cap skipped. A workspace's single run waits at most
// Σ over the other backlogged workspaces j of (floor(w_j / w_B) + 1) claims — the
// bound is derived in the migration. A running run whose lease expired is
// claimable again. The function sees only runs, its queue's clocks and the
// workspace limits, as the app role under app.run_claim, for its own transaction.
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

/**
 * The most claims that other workspaces can take before a workspace of weight
 * `ownWeight` gets its next run, while it is under its cap: each other backlogged
 * workspace j is taken at most floor(w_j / ownWeight) + 1 times first (migration 0025).
 */
export function claimsBeforeBound(ownWeight: number, otherBackloggedWeights: readonly number[]): number {
  return otherBackloggedWeights.reduce((sum, weight) => sum + Math.floor(weight / ownWeight) + 1, 0);
}
