-- Budgets: a monthly USD limit per workspace, and optionally per agent, that is
-- either hard (a call that could overspend it is refused) or soft (alerts only).
--
-- budgets              one per scope: the workspace (agent_id NULL) or one agent.
-- budget_periods       per budget and calendar month (UTC): settled spend and the
--                      worst-case cost reserved by calls in flight. A reservation
--                      locks the rows it checks, so under any concurrency
--                      spent + reserved never passes a hard limit.
-- budget_reservations  one row per model call in flight: which budgets it holds,
--                      how much, until when. Metering the call (record_usage_event)
--                      settles it in the same statement; a reservation whose call
--                      can no longer be running is released.
-- budget_alerts        50, 80 and 100% of a budget, once per budget and month; each
--                      new alert also writes an audit event for the activity feed.
--
-- Statements (one each, like record_usage_event in 0008):
-- reserve_budget()                    reserve on every applicable budget and check the hard ones, or name the refusing one
-- record_usage_event()                (replaced) meters the call and settles its reservation
-- release_run_budget_reservations()   the run's recovery: a re-claimed run's dead calls give their room back
-- finish_run()                        (replaced) also releases whatever the run still holds

CREATE TABLE budgets (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id          uuid,
  name              text NOT NULL,
  monthly_limit_usd numeric(20, 10) NOT NULL,
  enforcement       text NOT NULL,
  created_by        uuid,
  created_at        timestamptz(6) NOT NULL DEFAULT now(),
  updated_at        timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT budgets_agent_fkey FOREIGN KEY (workspace_id, agent_id) REFERENCES agents (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT budgets_enforcement CHECK (enforcement IN ('hard', 'soft')),
  CONSTRAINT budgets_limit CHECK (monthly_limit_usd > 0 AND monthly_limit_usd <= 1000000000),
  CONSTRAINT budgets_name_length CHECK (char_length(name) BETWEEN 1 AND 80)
);
CREATE UNIQUE INDEX budgets_workspace_id_id_key ON budgets (workspace_id, id);
-- One budget per scope: the workspace's own, and one per agent.
CREATE UNIQUE INDEX budgets_workspace_id_scope_key ON budgets (workspace_id, coalesce(agent_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX budgets_workspace_id_agent_id_idx ON budgets (workspace_id, agent_id);

CREATE TABLE budget_periods (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  budget_id    uuid NOT NULL,
  period_start date NOT NULL,
  spent_usd    numeric(20, 10) NOT NULL DEFAULT 0,
  reserved_usd numeric(20, 10) NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, budget_id, period_start),
  CONSTRAINT budget_periods_budget_fkey FOREIGN KEY (workspace_id, budget_id) REFERENCES budgets (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT budget_periods_amounts CHECK (spent_usd >= 0 AND reserved_usd >= 0)
);

CREATE TABLE budget_reservations (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id           uuid NOT NULL,
  run_id       uuid,
  budget_ids   uuid[] NOT NULL,
  period_start date NOT NULL,
  amount_usd   numeric(20, 10) NOT NULL,
  created_at   timestamptz(6) NOT NULL DEFAULT now(),
  -- The call's own deadline plus a margin: past it the call cannot still be running.
  expires_at   timestamptz(6) NOT NULL,
  PRIMARY KEY (workspace_id, id),
  CONSTRAINT budget_reservations_amount CHECK (amount_usd > 0)
);
CREATE INDEX budget_reservations_workspace_id_run_id_idx ON budget_reservations (workspace_id, run_id);
CREATE INDEX budget_reservations_workspace_id_expires_at_idx ON budget_reservations (workspace_id, expires_at);

CREATE TABLE budget_alerts (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  budget_id    uuid NOT NULL,
  period_start date NOT NULL,
  threshold    integer NOT NULL,
  spent_usd    numeric(20, 10) NOT NULL,
  created_at   timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, budget_id, period_start, threshold),
  CONSTRAINT budget_alerts_budget_fkey FOREIGN KEY (workspace_id, budget_id) REFERENCES budgets (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT budget_alerts_threshold CHECK (threshold IN (50, 80, 100))
);

GRANT SELECT, INSERT, UPDATE, DELETE ON budgets TO enclave_app;
GRANT SELECT, INSERT, UPDATE ON budget_periods TO enclave_app;
GRANT SELECT, INSERT, DELETE ON budget_reservations TO enclave_app;
GRANT SELECT, INSERT ON budget_alerts TO enclave_app;

ALTER TABLE budgets ENABLE ROW LEVEL SECURITY;
ALTER TABLE budgets FORCE ROW LEVEL SECURITY;
ALTER TABLE budget_periods ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_periods FORCE ROW LEVEL SECURITY;
ALTER TABLE budget_reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_reservations FORCE ROW LEVEL SECURITY;
ALTER TABLE budget_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE budget_alerts FORCE ROW LEVEL SECURITY;

CREATE POLICY budgets_tenant ON budgets
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY budget_periods_tenant ON budget_periods
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY budget_reservations_tenant ON budget_reservations
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY budget_alerts_tenant ON budget_alerts
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- The rest of this file runs inside the statements below, as the app role and
-- under the workspace's RLS context that they set first.

-- This month's rows for every budget of the workspace that has none yet (the
-- first call of a month, or a new budget), so a call finds a row for each
-- budget that applies to it. A new row starts from the ledger, so a budget
-- created mid-month counts the month's spend so far.
CREATE FUNCTION open_budget_periods(p_workspace_id uuid, p_period date)
  RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  opened integer;
BEGIN
  INSERT INTO public.budget_periods (workspace_id, budget_id, period_start, spent_usd)
  SELECT b.workspace_id, b.id, p_period,
         (SELECT coalesce(sum(u.cost_usd), 0) FROM public.usage_events u
          WHERE u.workspace_id = p_workspace_id
            AND u.created_at >= p_period::timestamp AT TIME ZONE 'UTC'
            AND u.created_at < (p_period + interval '1 month')::timestamp AT TIME ZONE 'UTC'
            AND (b.agent_id IS NULL OR u.agent_id = b.agent_id))
  FROM public.budgets b
  WHERE b.workspace_id = p_workspace_id
    AND NOT EXISTS (SELECT 1 FROM public.budget_periods p
                    WHERE p.workspace_id = p_workspace_id AND p.budget_id = b.id AND p.period_start = p_period)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS opened = ROW_COUNT;
  RETURN opened;
END
$$;

-- Records each threshold the budget's settled spend has reached this period
-- (100 also when p_exhausted: a hard budget refused a call), once, with an
-- audit event for the activity feed.
CREATE FUNCTION note_budget_thresholds(p_workspace_id uuid, p_budget_id uuid, p_period date, p_exhausted boolean)
  RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  b record;
  t integer;
BEGIN
  SELECT bu.name, bu.enforcement, bu.monthly_limit_usd, p.spent_usd INTO b
    FROM public.budgets bu JOIN public.budget_periods p ON p.workspace_id = bu.workspace_id AND p.budget_id = bu.id
    WHERE bu.workspace_id = p_workspace_id AND bu.id = p_budget_id AND p.period_start = p_period;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  FOREACH t IN ARRAY ARRAY[50, 80, 100] LOOP
    IF b.spent_usd * 100 >= b.monthly_limit_usd * t OR (t = 100 AND p_exhausted) THEN
      INSERT INTO public.budget_alerts (workspace_id, budget_id, period_start, threshold, spent_usd)
      VALUES (p_workspace_id, p_budget_id, p_period, t, b.spent_usd)
      ON CONFLICT DO NOTHING;
      IF FOUND THEN
        INSERT INTO public.audit_events (workspace_id, actor_user_id, action, target, metadata)
        VALUES (p_workspace_id, NULL, 'budget.threshold_reached', p_budget_id::text,
                jsonb_build_object('name', b.name, 'threshold', t, 'enforcement', b.enforcement,
                                   'spentUsd', b.spent_usd::float8, 'limitUsd', b.monthly_limit_usd::float8,
                                   'period', p_period));
      END IF;
    END IF;
  END LOOP;
END
$$;

-- Settles a call: its reservation (if still held) goes back, and its cost is
-- added to every budget that applies to the call now — which includes one
-- created while the call ran, and still counts the cost of a call whose
-- reservation was already released (its worker was presumed dead). One UPDATE
-- does both; a threshold crossed is noted. No spend is lost either way.
CREATE FUNCTION settle_budget_reservation(p_workspace_id uuid, p_reservation_id uuid, p_agent_id uuid, p_cost numeric)
  RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  r record;
  period date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  held uuid[] := '{}';
  amount numeric := 0;
  cost numeric := greatest(coalesce(p_cost, 0), 0);
  row record;
BEGIN
  IF p_reservation_id IS NOT NULL THEN
    DELETE FROM public.budget_reservations
      WHERE budget_reservations.workspace_id = p_workspace_id AND budget_reservations.id = p_reservation_id
      RETURNING budget_ids, period_start, amount_usd INTO r;
    IF FOUND THEN
      period := r.period_start;
      held := r.budget_ids;
      amount := r.amount_usd;
    END IF;
  END IF;
  IF amount = 0 AND cost = 0 THEN
    RETURN;
  END IF;
  FOR row IN
    UPDATE public.budget_periods p
      SET spent_usd = p.spent_usd + cost,
          reserved_usd = greatest(p.reserved_usd - CASE WHEN p.budget_id = ANY (held) THEN amount ELSE 0 END, 0)
      FROM public.budgets b
      WHERE p.workspace_id = p_workspace_id AND p.period_start = period
        AND b.workspace_id = p.workspace_id AND b.id = p.budget_id
        AND (b.agent_id IS NULL OR b.agent_id = p_agent_id OR p.budget_id = ANY (held))
      RETURNING p.budget_id, p.spent_usd, b.monthly_limit_usd
  LOOP
    -- Only a call that takes the spend across 50, 80 or 100% has anything to note.
    IF cost > 0 AND (SELECT bool_or((row.spent_usd - cost) * 100 < row.monthly_limit_usd * t AND row.spent_usd * 100 >= row.monthly_limit_usd * t)
                     FROM unnest(ARRAY[50, 80, 100]) t) THEN
      PERFORM public.note_budget_thresholds(p_workspace_id, row.budget_id, period, false);
    END IF;
  END LOOP;
  IF NOT FOUND AND cost > 0 THEN
    -- The month's first spend: its rows start from the ledger, which already holds this call.
    PERFORM public.open_budget_periods(p_workspace_id, period);
  END IF;
END
$$;

-- Releases a workspace's reservations that outlived their calls' deadlines; the count released.
CREATE FUNCTION release_expired_reservations(p_workspace_id uuid)
  RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  stale record;
  released integer := 0;
BEGIN
  FOR stale IN
    DELETE FROM public.budget_reservations
      WHERE budget_reservations.workspace_id = p_workspace_id AND budget_reservations.expires_at < now()
      RETURNING budget_ids, period_start, amount_usd
  LOOP
    UPDATE public.budget_periods SET reserved_usd = greatest(reserved_usd - stale.amount_usd, 0)
      WHERE budget_periods.workspace_id = p_workspace_id AND budget_periods.period_start = stale.period_start
        AND budget_periods.budget_id = ANY (stale.budget_ids);
    released := released + 1;
  END LOOP;
  RETURN released;
END
$$;

-- The reservation before a model call, in one statement. One UPDATE adds the
-- amount to the month rows of every budget that applies to the call, locking
-- them; if a hard one then stands above its limit (spent + reserved > limit),
-- the same transaction takes the amount back off before anyone else can see or
-- lock those rows, and the call is refused — first after releasing expired
-- reservations and trying once more. So the check and the reservation are one
-- atomic step under any concurrency. Returns {"reserved": bool} or
-- {"refused": {...}} naming the hard budget without room.
CREATE FUNCTION reserve_budget(p_workspace_id uuid, p_agent_id uuid, p_reservation_id uuid, p_run_id uuid,
                               p_amount numeric, p_expires_ms integer)
  RETURNS jsonb
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  period date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  ids uuid[];
  refused jsonb;
  attempt integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  IF p_amount IS NULL OR p_amount <= 0 THEN
    RETURN jsonb_build_object('reserved', false);
  END IF;
  FOR attempt IN 1..2 LOOP
    WITH taken AS (
      UPDATE public.budget_periods p SET reserved_usd = p.reserved_usd + p_amount
        FROM public.budgets b
        WHERE p.workspace_id = p_workspace_id AND p.period_start = period
          AND b.workspace_id = p.workspace_id AND b.id = p.budget_id
          AND (b.agent_id IS NULL OR b.agent_id = p_agent_id)
        RETURNING p.budget_id, b.name, b.agent_id, b.enforcement, b.monthly_limit_usd, p.spent_usd, p.reserved_usd
    )
    SELECT array_agg(t.budget_id),
           (array_agg(jsonb_build_object('budgetId', t.budget_id, 'name', t.name, 'agentId', t.agent_id,
                                         'limitUsd', t.monthly_limit_usd::float8, 'spentUsd', t.spent_usd::float8,
                                         'reservedUsd', (t.reserved_usd - p_amount)::float8) ORDER BY t.budget_id)
              FILTER (WHERE t.enforcement = 'hard' AND t.spent_usd + t.reserved_usd > t.monthly_limit_usd))[1]
      INTO ids, refused
      FROM taken t;
    IF ids IS NULL THEN
      -- No month row: no budget, or the month's first call (open them all, then try again).
      IF attempt = 2 OR public.open_budget_periods(p_workspace_id, period) = 0 THEN
        RETURN jsonb_build_object('reserved', false);
      END IF;
      CONTINUE;
    END IF;
    IF refused IS NULL THEN
      INSERT INTO public.budget_reservations (workspace_id, id, run_id, budget_ids, period_start, amount_usd, expires_at)
      VALUES (p_workspace_id, p_reservation_id, p_run_id, ids, period, p_amount,
              now() + make_interval(secs => p_expires_ms / 1000.0));
      RETURN jsonb_build_object('reserved', true);
    END IF;
    UPDATE public.budget_periods SET reserved_usd = reserved_usd - p_amount
      WHERE budget_periods.workspace_id = p_workspace_id AND budget_periods.period_start = period
        AND budget_periods.budget_id = ANY (ids);
    IF attempt = 2 OR public.release_expired_reservations(p_workspace_id) = 0 THEN
      PERFORM public.note_budget_thresholds(p_workspace_id, (refused->>'budgetId')::uuid, period, true);
      RETURN jsonb_build_object('refused', refused);
    END IF;
  END LOOP;
  RETURN jsonb_build_object('reserved', false);
END
$$;

-- Releases every reservation a run still holds; the count released.
CREATE FUNCTION release_run_reservations(p_workspace_id uuid, p_run_id uuid)
  RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  r record;
  released integer := 0;
BEGIN
  FOR r IN
    DELETE FROM public.budget_reservations
      WHERE budget_reservations.workspace_id = p_workspace_id AND budget_reservations.run_id = p_run_id
      RETURNING budget_ids, period_start, amount_usd
  LOOP
    UPDATE public.budget_periods SET reserved_usd = greatest(reserved_usd - r.amount_usd, 0)
      WHERE budget_periods.workspace_id = p_workspace_id AND budget_periods.period_start = r.period_start
        AND budget_periods.budget_id = ANY (r.budget_ids);
    released := released + 1;
  END LOOP;
  RETURN released;
END
$$;

-- The statement the run loop calls when it re-claims a run whose worker died:
-- the dead worker's calls are over, their reservations go back. A call of it
-- that was metered was settled by that same metering statement; one that was
-- not has no cost in the ledger, so releasing it loses no spend.
CREATE FUNCTION release_run_budget_reservations(p_workspace_id uuid, p_run_id uuid)
  RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  RETURN public.release_run_reservations(p_workspace_id, p_run_id);
END
$$;

-- Metering (0018) that also settles the call's reservation in the same statement.
DROP FUNCTION record_usage_event(uuid, uuid, integer, integer, uuid, uuid, text, text, text, integer, integer, numeric, boolean, integer, text, text, boolean);
CREATE FUNCTION record_usage_event(
  p_workspace_id uuid, p_run_id uuid, p_step_index integer, p_attempt integer, p_agent_id uuid,
  p_provider_id uuid, p_provider text, p_model text, p_task_type text,
  p_input_tokens integer, p_output_tokens integer, p_cost_usd numeric, p_price_known boolean,
  p_latency_ms integer, p_status text, p_error_kind text, p_cached boolean DEFAULT false,
  p_reservation_id uuid DEFAULT NULL)
  RETURNS uuid
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  recorded uuid;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  INSERT INTO public.usage_events (workspace_id, run_id, step_index, attempt, agent_id, provider_id, provider, model, task_type,
                                   input_tokens, output_tokens, cost_usd, price_known, latency_ms, status, error_kind, cached)
  VALUES (p_workspace_id, p_run_id, p_step_index, p_attempt, p_agent_id, p_provider_id, p_provider, p_model, p_task_type,
          p_input_tokens, p_output_tokens, p_cost_usd, p_price_known, p_latency_ms, p_status, p_error_kind, p_cached)
  ON CONFLICT (workspace_id, run_id, step_index, attempt) DO NOTHING
  RETURNING id INTO recorded;
  -- A call already metered (a redone step) was counted then: only its new reservation goes back.
  PERFORM public.settle_budget_reservation(p_workspace_id, p_reservation_id, p_agent_id,
                                           CASE WHEN recorded IS NULL THEN 0 ELSE p_cost_usd END);
  RETURN recorded;
END
$$;

-- finish_run (0016) that also releases what the run still holds.
DROP FUNCTION finish_run(uuid, uuid, text, text, text, text, jsonb, text[]);
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
  PERFORM public.release_run_reservations(p_workspace_id, p_run_id);
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

REVOKE ALL ON FUNCTION reserve_budget(uuid, uuid, uuid, uuid, numeric, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION release_run_budget_reservations(uuid, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION record_usage_event(uuid, uuid, integer, integer, uuid, uuid, text, text, text, integer, integer, numeric, boolean, integer, text, text, boolean, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION finish_run(uuid, uuid, text, text, text, text, jsonb, text[]) FROM PUBLIC;
-- The inner functions run as the app role once a statement above has taken it.
REVOKE ALL ON FUNCTION open_budget_periods(uuid, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION release_expired_reservations(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION note_budget_thresholds(uuid, uuid, date, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION settle_budget_reservation(uuid, uuid, uuid, numeric) FROM PUBLIC;
REVOKE ALL ON FUNCTION release_run_reservations(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION open_budget_periods(uuid, date), note_budget_thresholds(uuid, uuid, date, boolean),
  settle_budget_reservation(uuid, uuid, uuid, numeric), release_run_reservations(uuid, uuid),
  release_expired_reservations(uuid) TO enclave_app;
