-- Per-workspace rate limits kept in Postgres, so every app and worker process
-- shares them exactly, and the plan's run caps applied when a run starts.
--
-- rate_limit_windows   one counter per workspace, limit kind and fixed one-minute
--                      window (date_trunc('minute', now())). Fixed windows, not a
--                      sliding pair: the number admitted in a calendar minute is
--                      exactly the limit (a sliding estimate weights the previous
--                      window and is only approximate), the limits page shows this
--                      minute's counter as it is, and Retry-After is exact (the
--                      seconds to the next window). The price is that a burst may
--                      straddle a minute boundary; per-minute quotas accept that.
-- take_rate_limit()    the atomic check-and-take: one INSERT … ON CONFLICT DO
--                      UPDATE … WHERE used + n <= limit, so concurrent callers in
--                      any process can never together pass the limit. The limit is
--                      read from workspace_limits() in the same statement. The
--                      first take of a window prunes the workspace's older windows.
-- take_member_rate_limit()  the same, only for a member of the workspace (API requests).
-- adjust_rate_limit()  settles an earlier take (model tokens: estimate → actual).
-- start_run_context()  (replaces 0016's) caps the run's deadline by the plan's
--                      max run duration and answers the plan's run caps.

CREATE TABLE rate_limit_windows (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  kind         text NOT NULL,
  window_start timestamptz(6) NOT NULL,
  used         bigint NOT NULL DEFAULT 0,
  CONSTRAINT rate_limit_windows_pkey PRIMARY KEY (workspace_id, kind, window_start),
  CONSTRAINT rate_limit_windows_kind CHECK (kind IN ('runs', 'model_tokens', 'api_requests')),
  CONSTRAINT rate_limit_windows_used CHECK (used >= 0)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_windows TO enclave_app;
ALTER TABLE rate_limit_windows ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limit_windows FORCE ROW LEVEL SECURITY;
CREATE POLICY rate_limit_windows_tenant ON rate_limit_windows
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

CREATE FUNCTION take_rate_limit(p_workspace_id uuid, p_kind text, p_amount bigint)
  RETURNS TABLE (admitted boolean, counted bigint, limit_value bigint, window_started timestamptz, retry_after_seconds integer)
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  v_window timestamptz := date_trunc('minute', now());
  v_limit bigint;
  v_used bigint;
  v_inserted boolean;
BEGIN
  PERFORM set_config('role', 'enclave_app', true), set_config('app.workspace_id', p_workspace_id::text, true);
  SELECT CASE p_kind
           WHEN 'runs' THEN l.runs_per_minute
           WHEN 'model_tokens' THEN l.tokens_per_minute
           WHEN 'api_requests' THEN l.api_requests_per_minute
         END
    INTO v_limit FROM public.workspace_limits(p_workspace_id) l;
  IF v_limit IS NULL THEN
    RETURN; -- no such workspace (or limit kind): no row
  END IF;
  INSERT INTO public.rate_limit_windows AS w (workspace_id, kind, window_start, used)
    SELECT p_workspace_id, p_kind, v_window, p_amount WHERE p_amount <= v_limit
  ON CONFLICT ON CONSTRAINT rate_limit_windows_pkey DO UPDATE SET used = w.used + excluded.used
    WHERE w.used + excluded.used <= v_limit
  RETURNING w.used, (w.xmax = 0) INTO v_used, v_inserted;
  IF v_used IS NOT NULL THEN
    IF v_inserted THEN
      DELETE FROM public.rate_limit_windows o
        WHERE o.workspace_id = p_workspace_id AND o.kind = p_kind AND o.window_start < v_window;
    END IF;
    RETURN QUERY SELECT true, v_used, v_limit, v_window, 0;
    RETURN;
  END IF;
  SELECT o.used INTO v_used FROM public.rate_limit_windows o
    WHERE o.workspace_id = p_workspace_id AND o.kind = p_kind AND o.window_start = v_window;
  RETURN QUERY SELECT false, coalesce(v_used, 0), v_limit, v_window,
    greatest(1, ceil(extract(epoch FROM (v_window + interval '1 minute' - clock_timestamp()))))::integer;
END
$$;
REVOKE ALL ON FUNCTION take_rate_limit(uuid, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION take_rate_limit(uuid, text, bigint) TO enclave_app;

-- An API request counts only for a member of the workspace: anyone else gets no
-- row (and is refused as not found by the request itself), so naming another
-- workspace's id never spends its limit.
CREATE FUNCTION take_member_rate_limit(p_workspace_id uuid, p_user_id uuid, p_kind text, p_amount bigint)
  RETURNS TABLE (admitted boolean, counted bigint, limit_value bigint, window_started timestamptz, retry_after_seconds integer)
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  PERFORM set_config('role', 'enclave_app', true), set_config('app.workspace_id', p_workspace_id::text, true);
  IF NOT EXISTS (SELECT 1 FROM public.memberships m WHERE m.workspace_id = p_workspace_id AND m.user_id = p_user_id) THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM public.take_rate_limit(p_workspace_id, p_kind, p_amount);
END
$$;
REVOKE ALL ON FUNCTION take_member_rate_limit(uuid, uuid, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION take_member_rate_limit(uuid, uuid, text, bigint) TO enclave_app;

CREATE FUNCTION adjust_rate_limit(p_workspace_id uuid, p_kind text, p_window_start timestamptz, p_delta bigint)
  RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  PERFORM set_config('role', 'enclave_app', true), set_config('app.workspace_id', p_workspace_id::text, true);
  UPDATE public.rate_limit_windows w SET used = greatest(0, w.used + p_delta)
    WHERE w.workspace_id = p_workspace_id AND w.kind = p_kind AND w.window_start = p_window_start;
END
$$;
REVOKE ALL ON FUNCTION adjust_rate_limit(uuid, text, timestamptz, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION adjust_rate_limit(uuid, text, timestamptz, bigint) TO enclave_app;

-- As 0016's, plus the plan's caps: the deadline is the earlier of the version's
-- max_run_seconds and the plan's max run duration, and 'limits' carries both caps
-- so the run loop also stops at the plan's max steps.
CREATE OR REPLACE FUNCTION start_run_context(p_workspace_id uuid, p_run_id uuid)
  RETURNS jsonb
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  r public.runs%ROWTYPE;
  v public.agent_versions%ROWTYPE;
  lim record;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  SELECT * INTO r FROM public.runs WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT l.max_run_duration_ms, l.max_steps INTO lim FROM public.workspace_limits(p_workspace_id) l;
  SELECT * INTO v FROM public.agent_versions
    WHERE agent_versions.workspace_id = p_workspace_id AND agent_versions.agent_id = r.agent_id AND agent_versions.version = r.agent_version;
  IF FOUND AND r.deadline_at IS NULL THEN
    UPDATE public.runs SET deadline_at = coalesce(r.started_at, now())
        + least(make_interval(secs => v.max_run_seconds), make_interval(secs => lim.max_run_duration_ms / 1000.0))
      WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id
      RETURNING runs.deadline_at INTO r.deadline_at;
  END IF;
  RETURN jsonb_build_object(
    'run', to_jsonb(r),
    'version', CASE WHEN v.id IS NULL THEN NULL ELSE to_jsonb(v) END,
    'agentName', (SELECT a.name FROM public.agents a WHERE a.workspace_id = p_workspace_id AND a.id = r.agent_id),
    'allowPrivateAddresses', coalesce((SELECT g.allow_private_addresses FROM public.workspace_egress_grants g
                                       WHERE g.workspace_id = p_workspace_id), false),
    'limits', jsonb_build_object('maxRunDurationMs', lim.max_run_duration_ms, 'maxSteps', lim.max_steps));
END
$$;
