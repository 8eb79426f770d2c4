-- A step's trace span is written by the same statement as the step.
--
-- write_run_step() (0015) now also takes the step's span (built by the worker,
-- server/observability/trace-spans.ts) and inserts it, if absent, in the same
-- implicit transaction, under the same lease check, app role and workspace
-- context. It answers -1 when the caller does not hold the lease (nothing is
-- written), 1 when the span was written now and 0 when it was already there (a
-- step redone after a worker died keeps its first row and its first span).
--
-- finish_run() (0015) likewise writes the run's root span with the final state.
-- The worker builds the span; the function sets its start and end from the run
-- row and its token and cost totals from the run's steps, under the attribute
-- names the worker passes (p_total_keys: input tokens, output tokens, cost), so
-- the span agrees with what is stored. It answers NULL when the caller does not
-- hold the lease, else {"span": null} when the root span was already there or
-- {"span": {startedAt, endedAt, attributes}} as written. Finishing commits
-- durably, once per run.

DROP FUNCTION write_run_step(uuid, uuid, text, integer, text, text, jsonb, jsonb, text, text, jsonb, jsonb, text, text, text,
                             integer, integer, numeric, integer, timestamptz, timestamptz);
DROP FUNCTION finish_run(uuid, uuid, text, text, text, text);

CREATE FUNCTION write_run_step(
  p_workspace_id uuid, p_run_id uuid, p_worker_id text,
  p_step_index integer, p_kind text, p_status text, p_request jsonb, p_response jsonb,
  p_tool_name text, p_tool_call_id text, p_tool_args jsonb, p_tool_result jsonb, p_error text,
  p_provider text, p_model text, p_input_tokens integer, p_output_tokens integer, p_cost_usd numeric,
  p_latency_ms integer, p_started_at timestamptz, p_finished_at timestamptz, p_span jsonb)
  RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  span_written integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  PERFORM 1 FROM public.runs
    WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id AND runs.lease_owner = p_worker_id AND runs.status = 'running';
  IF NOT FOUND THEN
    RETURN -1;
  END IF;
  -- A step redone after a worker died keeps the row written first.
  INSERT INTO public.run_steps (workspace_id, run_id, step_index, kind, status, request, response, tool_name, tool_call_id,
                                tool_args, tool_result, error, provider, model, input_tokens, output_tokens, cost_usd,
                                latency_ms, started_at, finished_at)
  VALUES (p_workspace_id, p_run_id, p_step_index, p_kind, p_status, p_request, p_response, p_tool_name, p_tool_call_id,
          p_tool_args, p_tool_result, p_error, p_provider, p_model, p_input_tokens, p_output_tokens, p_cost_usd,
          p_latency_ms, p_started_at, coalesce(p_finished_at, now()))
  ON CONFLICT (workspace_id, run_id, step_index) DO NOTHING;
  INSERT INTO public.trace_spans (workspace_id, run_id, trace_id, span_id, parent_span_id, step_index, kind, name,
                                  started_at, ended_at, status, status_message, attributes)
  VALUES (p_workspace_id, p_run_id, p_span->>'traceId', p_span->>'spanId', p_span->>'parentSpanId', p_step_index,
          p_span->>'kind', p_span->>'name', (p_span->>'startedAt')::timestamptz, (p_span->>'endedAt')::timestamptz,
          p_span->>'status', p_span->>'statusMessage', p_span->'attributes')
  ON CONFLICT (workspace_id, run_id, span_id) DO NOTHING;
  GET DIAGNOSTICS span_written = ROW_COUNT;
  RETURN span_written;
END
$$;

REVOKE ALL ON FUNCTION write_run_step(uuid, uuid, text, integer, text, text, jsonb, jsonb, text, text, jsonb, jsonb, text, text, text,
                                      integer, integer, numeric, integer, timestamptz, timestamptz, jsonb) FROM PUBLIC;

CREATE FUNCTION finish_run(p_workspace_id uuid, p_run_id uuid, p_worker_id text, p_status text, p_output text, p_error text,
                           p_span jsonb, p_total_keys text[])
  RETURNS jsonb
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  span_start timestamptz;
  span_end timestamptz;
  totals jsonb;
  written public.trace_spans%ROWTYPE;
BEGIN
  PERFORM set_config('role', 'enclave_app', true), set_config('app.workspace_id', p_workspace_id::text, true);
  UPDATE public.runs SET status = p_status, output = p_output, error = p_error, finished_at = now(), lease_expires_at = NULL
    WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id AND runs.lease_owner = p_worker_id AND runs.status = 'running'
    RETURNING coalesce(runs.started_at, runs.created_at), runs.finished_at INTO span_start, span_end;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT jsonb_build_object(p_total_keys[1], coalesce(sum(s.input_tokens), 0),
                            p_total_keys[2], coalesce(sum(s.output_tokens), 0),
                            p_total_keys[3], coalesce(sum(s.cost_usd), 0)::float8)
    INTO totals
    FROM public.run_steps s WHERE s.workspace_id = p_workspace_id AND s.run_id = p_run_id;
  INSERT INTO public.trace_spans (workspace_id, run_id, trace_id, span_id, parent_span_id, step_index, kind, name,
                                  started_at, ended_at, status, status_message, attributes)
  VALUES (p_workspace_id, p_run_id, p_span->>'traceId', p_span->>'spanId', NULL, NULL, 'run', p_span->>'name',
          span_start, greatest(span_start, span_end), p_span->>'status', p_span->>'statusMessage', (p_span->'attributes') || totals)
  ON CONFLICT (workspace_id, run_id, span_id) DO NOTHING
  RETURNING * INTO written;
  IF written.id IS NULL THEN
    RETURN jsonb_build_object('span', NULL);
  END IF;
  RETURN jsonb_build_object('span', jsonb_build_object('startedAt', written.started_at, 'endedAt', written.ended_at, 'attributes', written.attributes));
END
$$;

REVOKE ALL ON FUNCTION finish_run(uuid, uuid, text, text, text, text, jsonb, text[]) FROM PUBLIC;

-- start_run_context() also answers the agent's name, for the run's root span.
CREATE OR REPLACE FUNCTION start_run_context(p_workspace_id uuid, p_run_id uuid)
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
    'agentName', (SELECT a.name FROM public.agents a WHERE a.workspace_id = p_workspace_id AND a.id = r.agent_id),
    'allowPrivateAddresses', coalesce((SELECT g.allow_private_addresses FROM public.workspace_egress_grants g
                                       WHERE g.workspace_id = p_workspace_id), false));
END
$$;
