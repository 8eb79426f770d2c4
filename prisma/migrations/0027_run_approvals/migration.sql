-- Approval rules: a run step that a workspace policy says needs an admin's yes
-- (a tool in its list, or a model call estimated above its cost) waits for it.
--
-- run_approvals   one row per step that asked: what is asked (tool name and
--                 arguments, or model and worst-case cost estimate), which rule
--                 asked, when it expires, and the decision once made (approved,
--                 rejected, expired, or cancelled with its run). (workspace_id,
--                 run_id, step_index) is unique: a step asks once, and a run
--                 resumed after approval finds the decision instead of asking again.
--                 The app role may set the decision columns only, never rewrite what was asked.
-- trace_spans     gains kind 'approval': the wait from request to decision, a
--                 child of the run's span at the step that asked.
-- pause_run_for_approval()  the worker's pause as one statement: under the lease
--                 it records the approval and moves the run from running to
--                 awaiting_approval, dropping the lease (no worker holds a waiting run).
-- expired_approvals()  pending approvals past their expiry, across workspaces,
--                 for the sweep (under app.approval_sweep it may read only
--                 run_approvals' ids; each expiry is then decided under withWorkspace()).

CREATE TABLE run_approvals (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  run_id              uuid NOT NULL,
  step_index          integer NOT NULL,
  kind                text NOT NULL,
  tool_name           text,
  tool_args           jsonb,
  model               text,
  estimated_cost_usd  numeric(20, 10),
  rule                text NOT NULL,
  requested_at        timestamptz(6) NOT NULL DEFAULT now(),
  expires_at          timestamptz(6) NOT NULL,
  decision            text,
  decided_by          uuid,
  decided_by_name     text,
  decided_at          timestamptz(6),
  reason              text,
  CONSTRAINT run_approvals_run_fkey FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT run_approvals_kind CHECK (kind IN ('tool', 'model')),
  CONSTRAINT run_approvals_asked CHECK ((kind = 'tool' AND tool_name IS NOT NULL) OR (kind = 'model' AND model IS NOT NULL AND estimated_cost_usd IS NOT NULL)),
  CONSTRAINT run_approvals_step_index CHECK (step_index >= 0),
  CONSTRAINT run_approvals_decision CHECK (decision IS NULL OR decision IN ('approved', 'rejected', 'expired', 'cancelled')),
  CONSTRAINT run_approvals_decided CHECK ((decision IS NULL) = (decided_at IS NULL)),
  CONSTRAINT run_approvals_rejection_reason CHECK (decision IS DISTINCT FROM 'rejected' OR length(btrim(reason)) > 0),
  CONSTRAINT run_approvals_reason_length CHECK (reason IS NULL OR char_length(reason) <= 2000),
  CONSTRAINT run_approvals_expiry CHECK (expires_at > requested_at)
);
CREATE UNIQUE INDEX run_approvals_workspace_id_id_key ON run_approvals (workspace_id, id);
CREATE UNIQUE INDEX run_approvals_workspace_id_run_id_step_index_key ON run_approvals (workspace_id, run_id, step_index);
-- The inbox reads the pending ones first, newest first; the sweep reads pending ones by expiry.
CREATE INDEX run_approvals_workspace_id_requested_at_idx ON run_approvals (workspace_id, requested_at);
CREATE INDEX run_approvals_pending_expires_at_idx ON run_approvals (expires_at) WHERE decision IS NULL;

GRANT SELECT, INSERT ON run_approvals TO enclave_app;
GRANT UPDATE (decision, decided_by, decided_by_name, decided_at, reason) ON run_approvals TO enclave_app;
ALTER TABLE run_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_approvals FORCE ROW LEVEL SECURITY;
CREATE POLICY run_approvals_tenant ON run_approvals
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY run_approvals_sweep_select ON run_approvals FOR SELECT
  USING ((SELECT current_setting('app.approval_sweep', true)) = 'on');

ALTER TABLE trace_spans DROP CONSTRAINT trace_spans_kind;
ALTER TABLE trace_spans ADD CONSTRAINT trace_spans_kind CHECK (kind IN ('run', 'model', 'tool', 'approval'));

-- 1: paused; -1: this worker does not hold the lease (nothing written);
-- 0: a cancel was asked for (nothing written; the worker finishes the run as cancelled).
CREATE FUNCTION pause_run_for_approval(
  p_workspace_id uuid, p_run_id uuid, p_worker_id text, p_step_index integer, p_kind text,
  p_tool_name text, p_tool_args jsonb, p_model text, p_estimated_cost_usd numeric, p_rule text, p_expires_after_minutes integer)
  RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  cancel boolean;
BEGIN
  PERFORM set_config('role', 'enclave_app', true), set_config('app.workspace_id', p_workspace_id::text, true);
  SELECT runs.cancel_requested INTO cancel FROM public.runs
    WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id AND runs.lease_owner = p_worker_id AND runs.status = 'running'
    FOR UPDATE;
  IF NOT FOUND THEN
    RETURN -1;
  END IF;
  IF cancel THEN
    RETURN 0;
  END IF;
  INSERT INTO public.run_approvals (workspace_id, run_id, step_index, kind, tool_name, tool_args, model, estimated_cost_usd, rule, expires_at)
  VALUES (p_workspace_id, p_run_id, p_step_index, p_kind, p_tool_name, p_tool_args, p_model, p_estimated_cost_usd, p_rule,
          now() + make_interval(mins => p_expires_after_minutes))
  ON CONFLICT (workspace_id, run_id, step_index) DO NOTHING;
  UPDATE public.runs SET status = 'awaiting_approval', lease_owner = NULL, lease_expires_at = NULL
    WHERE runs.workspace_id = p_workspace_id AND runs.id = p_run_id;
  RETURN 1;
END
$$;
REVOKE ALL ON FUNCTION pause_run_for_approval(uuid, uuid, text, integer, text, text, jsonb, text, numeric, text, integer) FROM PUBLIC;

CREATE FUNCTION expired_approvals(p_limit integer)
  RETURNS TABLE (workspace_id uuid, id uuid)
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
#variable_conflict use_column
BEGIN
  PERFORM set_config('role', 'enclave_app', true), set_config('app.approval_sweep', 'on', true),
          set_config('app.workspace_id', '', true);
  RETURN QUERY
  SELECT a.workspace_id, a.id FROM public.run_approvals a
  WHERE a.decision IS NULL AND a.expires_at <= now()
  ORDER BY a.expires_at
  LIMIT p_limit;
END
$$;
REVOKE ALL ON FUNCTION expired_approvals(integer) FROM PUBLIC;
