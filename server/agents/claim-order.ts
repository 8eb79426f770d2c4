// Which run a free worker executes next, claimed with FOR UPDATE SKIP LOCKED so
// two workers never take the same run. The order lives in this one statement:
// FIFO within a workspace, round-robin across workspaces (the workspace served
// longest ago goes first). A running run whose lease expired is claimable again.
import { withRunClaim } from '../db/with-workspace';

export type ClaimedRun = { id: string; workspaceId: string; attemptCount: number };

/**
 * Claims one runnable run for `workerId` with a lease of `leaseMs`, or null when
 * none is waiting. Only ids come back; the run is read through withWorkspace().
 */
export async function claimNextRun(workerId: string, leaseMs: number): Promise<ClaimedRun | null> {
  return withRunClaim(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; workspace_id: string; attempt_count: number }[]>`
      WITH heads AS (
        SELECT DISTINCT ON (workspace_id) workspace_id, id, created_at
        FROM runs
        WHERE (status = 'queued' OR (status = 'running' AND lease_expires_at < now()))
          AND NOT cancel_requested
        ORDER BY workspace_id, created_at, id
      ),
      served AS (
        SELECT h.id, h.created_at,
               (SELECT max(r.claimed_at) FROM runs r WHERE r.workspace_id = h.workspace_id) AS last_served
        FROM heads h
      ),
      next AS (
        SELECT r.id FROM runs r JOIN served s ON s.id = r.id
        WHERE r.status = 'queued' OR (r.status = 'running' AND r.lease_expires_at < now())
        ORDER BY s.last_served NULLS FIRST, s.created_at, r.id
        LIMIT 1
        FOR UPDATE OF r SKIP LOCKED
      )
      UPDATE runs SET status = 'running',
                      lease_owner = ${workerId},
                      lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
                      attempt_count = attempt_count + 1,
                      claimed_at = clock_timestamp(),
                      started_at = coalesce(started_at, now())
      FROM next WHERE runs.id = next.id
      RETURNING runs.id, runs.workspace_id, runs.attempt_count`;
    const row = rows[0];
    return row ? { id: row.id, workspaceId: row.workspace_id, attemptCount: row.attempt_count } : null;
  });
}
