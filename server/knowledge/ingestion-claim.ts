// Which document a free ingestion worker takes next, claimed with FOR UPDATE SKIP
// LOCKED so two workers never ingest the same one. Weighted fair across workspaces
// by the same start-time fair queuing as runs (migration 0025, queue 'ingestion':
// the smallest start tag greatest(workspace clock, system clock) first, the clock
// then advanced by 1/weight in the same statement), FIFO within one; a processing
// document whose lease expired is claimable again, a queued one only once its retry
// wait is over. Ingestion has no concurrency cap of its own.
import { withIngestClaim } from '../db/with-workspace';

export type ClaimedDocument = { id: string; workspaceId: string; attemptCount: number };

export async function claimNextDocument(workerId: string, leaseMs: number): Promise<ClaimedDocument | null> {
  return withIngestClaim(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; workspace_id: string; attempt_count: number }[]>`
      WITH RECURSIVE active (ws) AS (
        (SELECT d.workspace_id FROM knowledge_documents d WHERE d.status IN ('queued', 'processing') ORDER BY d.workspace_id LIMIT 1)
        UNION ALL
        SELECT (SELECT d.workspace_id FROM knowledge_documents d
                WHERE d.status IN ('queued', 'processing') AND d.workspace_id > a.ws ORDER BY d.workspace_id LIMIT 1)
        FROM active a WHERE a.ws IS NOT NULL
      ),
      system_clock AS (
        SELECT coalesce(max(c.last_start), 0) AS v FROM workspace_queue_clocks c WHERE c.queue = 'ingestion'
      ),
      candidates AS (
        SELECT a.ws, head.id AS document_id, head.created_at, lim.scheduling_weight AS weight,
               greatest(coalesce(clock.virtual_time, 0), sc.v) AS start_tag
        FROM active a
        CROSS JOIN system_clock sc
        CROSS JOIN LATERAL workspace_limits(a.ws) lim
        CROSS JOIN LATERAL (
          SELECT d.id, d.created_at FROM knowledge_documents d
          WHERE d.workspace_id = a.ws AND d.status IN ('queued', 'processing')
            AND ((d.status = 'queued' AND d.run_after <= now()) OR (d.status = 'processing' AND d.lease_expires_at < now()))
          ORDER BY d.created_at, d.id
          LIMIT 1
        ) head
        LEFT JOIN workspace_queue_clocks clock ON clock.workspace_id = a.ws AND clock.queue = 'ingestion'
        WHERE a.ws IS NOT NULL
      ),
      next AS (
        SELECT d.id, c.ws, c.weight, c.start_tag FROM knowledge_documents d JOIN candidates c ON c.document_id = d.id
        WHERE (d.status = 'queued' AND d.run_after <= now()) OR (d.status = 'processing' AND d.lease_expires_at < now())
        ORDER BY c.start_tag, c.created_at, d.id
        LIMIT 1
        FOR UPDATE OF d SKIP LOCKED
      ),
      clock_advance AS (
        INSERT INTO workspace_queue_clocks AS q (workspace_id, queue, virtual_time, last_start, claims)
        SELECT n.ws, 'ingestion', n.start_tag + 1.0::float8 / n.weight, n.start_tag, 1 FROM next n
        ON CONFLICT (workspace_id, queue) DO UPDATE
          SET last_start = greatest(q.virtual_time, excluded.last_start),
              virtual_time = greatest(q.virtual_time, excluded.last_start) + (excluded.virtual_time - excluded.last_start),
              claims = q.claims + 1,
              updated_at = now()
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
