-- A step's trace span is written by the same statement as the step.
--
-- write_run_step() (0015) now also takes the step's span (built by the worker,
-- server/observability/trace-spans.ts) and inserts it, if absent, in the same
-- implicit transaction, under the same lease check, app role and workspace
-- context. It answers -1 when the caller does not hold the lease (nothing is
-- written), 1 when the span was written now and 0 when it was already there (a
-- step redone after a worker died keeps its first row and its first span).
--
-- finish_run() goes: the run's root span needs the run's totals, so finishing
-- stays one short withWorkspace() transaction per run (server/agents/run-lease.ts).

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
