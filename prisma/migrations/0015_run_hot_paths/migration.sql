-- The run worker's hot paths as one statement each, the way record_usage_event()
-- (0008) meters: called by the connecting user outside any transaction block,
-- each function first takes the app role and its context transaction-locally
-- (set_config(…, true): the settings withWorkspace() sets, or app.run_claim), and
-- only then plans and runs its SQL — so every row it reads or writes passes the
-- same RLS policies as the app role, and nothing remains on the connection once
-- the statement's implicit transaction ends. One round trip instead of an
-- interactive transaction of four or five. The app role itself may not call them.
--
-- claim_next_run   the claim of server/agents/claim-order.ts under app.run_claim
--                  (runs only, across workspaces), moved here unchanged.
-- write_run_step   the lease check and the step insert of writeStep(): false,
--                  and nothing written, unless this worker holds the run's lease.
-- finish_run       the final state of a run, only while the lease is held.
-- start_run_context  (below) the run, its version and the egress grant in one read.
--
-- Each of them, and record_usage_event() (replaced below with the same body),
-- commits with synchronous_commit off, transaction-locally: on PostgreSQL a
-- durable commit waits for a WAL flush to disk (4–12 ms measured here), which
-- was most of a metered call's and a step's cost. What a database crash can
-- lose is the last moments of worker progress (WAL wal_writer_delay × 3 at most,
-- 0.6 s by default), never consistency, and the run loop already recovers from
-- it: a lost claim or finish is a lease that expires, as when a worker dies; a
-- lost step is redone with the same step index and attempt; WAL is flushed in order,
-- so a step that survived implies its usage row (written before it) survived
-- too, and a redone call finds its usage row by its unique key. Starting a run
-- (withWorkspace, not here) still commits durably.

CREATE FUNCTION claim_next_run(p_worker_id text, p_lease_ms integer)
  RETURNS TABLE (id uuid, workspace_id uuid, attempt_count integer)
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
#variable_conflict use_column
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.run_claim', 'on', true);
  -- FIFO within a workspace, round-robin across workspaces (the workspace served
  -- longest ago first); a running run whose lease expired is claimable again.
  RETURN QUERY
  WITH heads AS (
    SELECT DISTINCT ON (r.workspace_id) r.workspace_id, r.id, r.created_at
    FROM public.runs r
    WHERE (r.status = 'queued' OR (r.status = 'running' AND r.lease_expires_at < now()))
      AND NOT r.cancel_requested
    ORDER BY r.workspace_id, r.created_at, r.id
  ),
  served AS (
    SELECT h.id, h.created_at,
           (SELECT max(r.claimed_at) FROM public.runs r WHERE r.workspace_id = h.workspace_id) AS last_served
    FROM heads h
  ),
  next AS (
    SELECT r.id FROM public.runs r JOIN served s ON s.id = r.id
    WHERE r.status = 'queued' OR (r.status = 'running' AND r.lease_expires_at < now())
    ORDER BY s.last_served NULLS FIRST, s.created_at, r.id
    LIMIT 1
    FOR UPDATE OF r SKIP LOCKED
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

CREATE FUNCTION write_run_step(
  p_workspace_id uuid, p_run_id uuid, p_worker_id text,
  p_step_index integer, p_kind text, p_status text, p_request jsonb, p_response jsonb,
  p_tool_name text, p_tool_call_id text, p_tool_args jsonb, p_tool_result jsonb, p_error text,
  p_provider text, p_model text, p_input_tokens integer, p_output_tokens integer, p_cost_usd numeric,
  p_latency_ms integer, p_started_at timestamptz, p_finished_at timestamptz)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  PERFORM 1 FROM public.runs
    WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id AND runs.lease_owner = p_worker_id AND runs.status = 'running';
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  -- A step redone after a worker died keeps the row written first.
  INSERT INTO public.run_steps (workspace_id, run_id, step_index, kind, status, request, response, tool_name, tool_call_id,
                                tool_args, tool_result, error, provider, model, input_tokens, output_tokens, cost_usd,
                                latency_ms, started_at, finished_at)
  VALUES (p_workspace_id, p_run_id, p_step_index, p_kind, p_status, p_request, p_response, p_tool_name, p_tool_call_id,
          p_tool_args, p_tool_result, p_error, p_provider, p_model, p_input_tokens, p_output_tokens, p_cost_usd,
          p_latency_ms, p_started_at, coalesce(p_finished_at, now()))
  ON CONFLICT (workspace_id, run_id, step_index) DO NOTHING;
  RETURN true;
END
$$;

CREATE FUNCTION finish_run(p_workspace_id uuid, p_run_id uuid, p_worker_id text, p_status text, p_output text, p_error text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  UPDATE public.runs SET status = p_status, output = p_output, error = p_error, finished_at = now(), lease_expires_at = NULL
    WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id AND runs.lease_owner = p_worker_id AND runs.status = 'running';
  RETURN FOUND;
END
$$;

REVOKE ALL ON FUNCTION claim_next_run(text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION write_run_step(uuid, uuid, text, integer, text, text, jsonb, jsonb, text, text, jsonb, jsonb, text, text, text,
                                     integer, integer, numeric, integer, timestamptz, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION finish_run(uuid, uuid, text, text, text, text) FROM PUBLIC;

-- What a worker reads when it starts executing a run: the run (its deadline fixed
-- now if this is its first start), its agent version and the workspace's
-- private-egress grant, as one JSON object of the rows; NULL when the run is not
-- this workspace's, version NULL when the run's version does not exist.
CREATE FUNCTION start_run_context(p_workspace_id uuid, p_run_id uuid)
  RETURNS jsonb
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  r public.runs%ROWTYPE;
  v public.agent_versions%ROWTYPE;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  SELECT * INTO r FROM public.runs WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT * INTO v FROM public.agent_versions
    WHERE agent_versions.workspace_id = p_workspace_id AND agent_versions.agent_id = r.agent_id AND agent_versions.version = r.agent_version;
  IF FOUND AND r.deadline_at IS NULL THEN
    UPDATE public.runs SET deadline_at = coalesce(r.started_at, now()) + make_interval(secs => v.max_run_seconds)
      WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id
      RETURNING runs.deadline_at INTO r.deadline_at;
  END IF;
  RETURN jsonb_build_object(
    'run', to_jsonb(r),
    'version', CASE WHEN v.id IS NULL THEN NULL ELSE to_jsonb(v) END,
    'allowPrivateAddresses', coalesce((SELECT g.allow_private_addresses FROM public.workspace_egress_grants g
                                       WHERE g.workspace_id = p_workspace_id), false));
END
$$;
REVOKE ALL ON FUNCTION start_run_context(uuid, uuid) FROM PUBLIC;

-- Metering (0008) with the same asynchronous commit; otherwise unchanged.
CREATE OR REPLACE FUNCTION record_usage_event(
  p_workspace_id uuid, p_run_id uuid, p_step_index integer, p_attempt integer, p_agent_id uuid,
  p_provider_id uuid, p_provider text, p_model text, p_task_type text,
  p_input_tokens integer, p_output_tokens integer, p_cost_usd numeric, p_price_known boolean,
  p_latency_ms integer, p_status text, p_error_kind text)
  RETURNS uuid
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  recorded uuid;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  INSERT INTO public.usage_events (workspace_id, run_id, step_index, attempt, agent_id, provider_id, provider, model, task_type,
                                   input_tokens, output_tokens, cost_usd, price_known, latency_ms, status, error_kind)
  VALUES (p_workspace_id, p_run_id, p_step_index, p_attempt, p_agent_id, p_provider_id, p_provider, p_model, p_task_type,
          p_input_tokens, p_output_tokens, p_cost_usd, p_price_known, p_latency_ms, p_status, p_error_kind)
  ON CONFLICT (workspace_id, run_id, step_index, attempt) DO NOTHING
  RETURNING id INTO recorded;
  RETURN recorded;
END
$$;
REVOKE ALL ON FUNCTION record_usage_event(uuid, uuid, integer, integer, uuid, uuid, text, text, text, integer, integer, numeric, boolean, integer, text, text) FROM PUBLIC;
