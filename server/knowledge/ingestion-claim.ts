// Which document a free ingestion worker takes next, claimed with FOR UPDATE SKIP
// LOCKED so two workers never ingest the same one. Round-robin across workspaces
// (the workspace served longest ago first), FIFO within one; a processing document
// whose lease expired is claimable again, a queued one only once its retry wait is over.
import { withIngestClaim } from '../db/with-workspace';

export type ClaimedDocument = { id: string; workspaceId: string; attemptCount: number };

export async function claimNextDocument(workerId: string, leaseMs: number): Promise<ClaimedDocument | null> {
  return withIngestClaim(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; workspace_id: string; attempt_count: number }[]>`
      WITH heads AS (
        SELECT DISTINCT ON (workspace_id) workspace_id, id, created_at
        FROM knowledge_documents
        WHERE (status = 'queued' AND run_after <= now()) OR (status = 'processing' AND lease_expires_at < now())
        ORDER BY workspace_id, created_at, id
      ),
      served AS (
        SELECT h.id, h.created_at,
               (SELECT max(d.claimed_at) FROM knowledge_documents d WHERE d.workspace_id = h.workspace_id) AS last_served
        FROM heads h
      ),
      next AS (
        SELECT d.id FROM knowledge_documents d JOIN served s ON s.id = d.id
        WHERE (d.status = 'queued' AND d.run_after <= now()) OR (d.status = 'processing' AND d.lease_expires_at < now())
        ORDER BY s.last_served NULLS FIRST, s.created_at, d.id
        LIMIT 1
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE knowledge_documents SET status = 'processing',
                      lease_owner = ${workerId},
                      lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
                      attempt_count = attempt_count + 1,
                      claimed_at = clock_timestamp(),
                      updated_at = now()
      FROM next WHERE knowledge_documents.id = next.id
      RETURNING knowledge_documents.id, knowledge_documents.workspace_id, knowledge_documents.attempt_count`;
    const row = rows[0];
    return row ? { id: row.id, workspaceId: row.workspace_id, attemptCount: row.attempt_count } : null;
  });
}
