-- Weighted fair queuing across workspaces for the run claim (claim_next_run(),
-- replaced here) and the ingestion claim (server/knowledge/ingestion-claim.ts).
--
-- Start-time fair queuing, one clock per workspace and queue kind:
-- workspace_queue_clocks holds a workspace's virtual time (the finish tag of its
-- last claim) and that claim's start tag. A claim computes, for each workspace with
-- a claimable job, its start tag S = greatest(its virtual time, V), where V is the
-- largest start tag claimed so far on that queue (the system's virtual time: start
-- tags are claimed in non-decreasing order, so V never goes back). It takes the
-- workspace with the smallest S (ties: the older head job), FIFO inside it, and in
-- the same statement sets that workspace's virtual time to S + 1/weight. The weight
-- is the plan's scheduling_weight unless the operator overrode it. Because S is at
-- least V, a workspace that was idle (or held back by its cap) starts level with
-- the others: idleness is not banked.
--
-- The bound. Say workspace B, weight w_B, gets one claimable run while others hold
-- any backlog. B's start tag is at most V + 1/w_B (its virtual time is its last
-- start tag, at most V, plus 1/w_B), and stays there until B is claimed. A
-- backlogged workspace j, weight w_j, has start tags of at least V, growing by
-- 1/w_j per claim, and is taken before B only while its tag is ≤ B's (ties go to the
-- older head, which is j's). So j is claimed at most floor(w_j / w_B) + 1 times
-- before B, however long its queue, and B is claimed within
--   N = Σ over the other backlogged workspaces j of (floor(w_j / w_B) + 1)
-- claims (while B is under its concurrency cap). One workspace A with 1,000 queued
-- runs delays B's single run by at most floor(w_A / w_B) + 1 claims: 2 at equal
-- weights, 9 for an enterprise A (8) against a free B (1).
--
-- Concurrency caps: a workspace whose running runs with a live lease reach its
-- concurrent_runs limit has no claimable run this time. A running run whose lease
-- expired is claimable again (recovery) and counts as queued, FIFO by creation.
--
-- The claim contexts (app.run_claim, app.ingest_claim) may read the workspace row
-- and the operator's override (for the weight and the cap, via workspace_limits())
-- and read and write the clocks of their own queue kind, nothing else.

CREATE TABLE workspace_queue_clocks (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  queue        text NOT NULL,
  virtual_time double precision NOT NULL,
  last_start   double precision NOT NULL,
  claims       bigint NOT NULL DEFAULT 0,
  updated_at   timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, queue),
  CONSTRAINT workspace_queue_clocks_queue CHECK (queue IN ('runs', 'ingestion')),
  CONSTRAINT workspace_queue_clocks_order CHECK (virtual_time >= last_start AND last_start >= 0 AND claims >= 0)
);
-- V = max(last_start) of one queue kind, read by every claim.
CREATE INDEX workspace_queue_clocks_queue_last_start_idx ON workspace_queue_clocks (queue, last_start);

GRANT SELECT, INSERT, UPDATE, DELETE ON workspace_queue_clocks TO enclave_app;
ALTER TABLE workspace_queue_clocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_queue_clocks FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_queue_clocks_tenant ON workspace_queue_clocks
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY workspace_queue_clocks_run_claim_select ON workspace_queue_clocks FOR SELECT
  USING (queue = 'runs' AND current_setting('app.run_claim', true) = 'on');
CREATE POLICY workspace_queue_clocks_run_claim_insert ON workspace_queue_clocks FOR INSERT
  WITH CHECK (queue = 'runs' AND current_setting('app.run_claim', true) = 'on');
CREATE POLICY workspace_queue_clocks_run_claim_update ON workspace_queue_clocks FOR UPDATE
  USING (queue = 'runs' AND current_setting('app.run_claim', true) = 'on')
  WITH CHECK (queue = 'runs' AND current_setting('app.run_claim', true) = 'on');
CREATE POLICY workspace_queue_clocks_ingest_claim_select ON workspace_queue_clocks FOR SELECT
  USING (queue = 'ingestion' AND current_setting('app.ingest_claim', true) = 'on');
CREATE POLICY workspace_queue_clocks_ingest_claim_insert ON workspace_queue_clocks FOR INSERT
  WITH CHECK (queue = 'ingestion' AND current_setting('app.ingest_claim', true) = 'on');
CREATE POLICY workspace_queue_clocks_ingest_claim_update ON workspace_queue_clocks FOR UPDATE
  USING (queue = 'ingestion' AND current_setting('app.ingest_claim', true) = 'on')
  WITH CHECK (queue = 'ingestion' AND current_setting('app.ingest_claim', true) = 'on');

-- The weight and the cap of a workspace with a claimable job (workspace_limits()).
CREATE POLICY workspaces_claim_read ON workspaces FOR SELECT
  USING (current_setting('app.run_claim', true) = 'on' OR current_setting('app.ingest_claim', true) = 'on');
CREATE POLICY workspace_limit_overrides_claim_read ON workspace_limit_overrides FOR SELECT
  USING (current_setting('app.run_claim', true) = 'on' OR current_setting('app.ingest_claim', true) = 'on');

-- Same signature and contract as 0015 (one statement, app role under app.run_claim,
-- asynchronous commit); only the order changed, as described above.
CREATE OR REPLACE FUNCTION claim_next_run(p_worker_id text, p_lease_ms integer)
  RETURNS TABLE (id uuid, workspace_id uuid, attempt_count integer)
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
#variable_conflict use_column
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.run_claim', 'on', true);
  RETURN QUERY
  WITH RECURSIVE active (ws) AS (
    -- The workspaces with a queued or running run: a skip scan of the claimable
    -- index, one probe per workspace however long its queue.
    (SELECT r.workspace_id FROM public.runs r WHERE r.status IN ('queued', 'running') ORDER BY r.workspace_id LIMIT 1)
    UNION ALL
    SELECT (SELECT r.workspace_id FROM public.runs r
            WHERE r.status IN ('queued', 'running') AND r.workspace_id > a.ws ORDER BY r.workspace_id LIMIT 1)
    FROM active a WHERE a.ws IS NOT NULL
  ),
  system_clock AS (
    SELECT coalesce(max(c.last_start), 0) AS v FROM public.workspace_queue_clocks c WHERE c.queue = 'runs'
  ),
  candidates AS (
    SELECT a.ws, head.id AS run_id, head.created_at, lim.scheduling_weight AS weight,
           greatest(coalesce(clock.virtual_time, 0), sc.v) AS start_tag
    FROM active a
    CROSS JOIN system_clock sc
    CROSS JOIN LATERAL public.workspace_limits(a.ws) lim
    CROSS JOIN LATERAL (
      SELECT r.id, r.created_at FROM public.runs r
      WHERE r.workspace_id = a.ws AND r.status IN ('queued', 'running')
        AND (r.status = 'queued' OR r.lease_expires_at < now()) AND NOT r.cancel_requested
      ORDER BY r.created_at, r.id
      LIMIT 1
    ) head
    LEFT JOIN public.workspace_queue_clocks clock ON clock.workspace_id = a.ws AND clock.queue = 'runs'
    WHERE a.ws IS NOT NULL
      AND (SELECT count(*) FROM public.runs r
           WHERE r.workspace_id = a.ws AND r.status = 'running' AND r.lease_expires_at >= now()) < lim.concurrent_runs
  ),
  next AS (
    SELECT r.id, c.ws, c.weight, c.start_tag FROM public.runs r JOIN candidates c ON c.run_id = r.id
    WHERE r.status = 'queued' OR (r.status = 'running' AND r.lease_expires_at < now())
    ORDER BY c.start_tag, c.created_at, r.id
    LIMIT 1
    FOR UPDATE OF r SKIP LOCKED
  ),
  clock_advance AS (
    -- Recomputed from the row as locked, so two claims of one workspace racing on
    -- PostgreSQL both count.
    INSERT INTO public.workspace_queue_clocks AS q (workspace_id, queue, virtual_time, last_start, claims)
    SELECT n.ws, 'runs', n.start_tag + 1.0::float8 / n.weight, n.start_tag, 1 FROM next n
    ON CONFLICT (workspace_id, queue) DO UPDATE
      SET last_start = greatest(q.virtual_time, excluded.last_start),
          virtual_time = greatest(q.virtual_time, excluded.last_start) + (excluded.virtual_time - excluded.last_start),
          claims = q.claims + 1,
          updated_at = now()
  )
  UPDATE public.runs SET status = 'running',
                  lease_owner = p_worker_id,
                  lease_expires_at = now() + make_interval(secs => p_lease_ms / 1000.0),
                  attempt_count = runs.attempt_count + 1,
                  claimed_at = clock_timestamp(),
                  started_at = coalesce(runs.started_at, now())
  FROM next WHERE runs.id = next.id
  RETURNING runs.id, runs.workspace_id, runs.attempt_count;
END
$$;
REVOKE ALL ON FUNCTION claim_next_run(text, integer) FROM PUBLIC;
