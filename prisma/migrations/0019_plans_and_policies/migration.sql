-- Plans and workspace policies: the shapes that limits, budgets, the fair
-- scheduler, policies and approvals are built on.
--
-- plans                       the three plans and what each allows, including the
--                             scheduling weight. Global (the same for everyone),
--                             read-only for the app role; changed only by a migration.
-- workspaces.plan             must name a plan.
-- workspace_limit_overrides   set by the operator only, per workspace: any column
--                             left NULL falls back to the plan. Tenants read theirs.
-- workspace_limits()          the effective limits of one workspace (plan, then
--                             override), as the caller's RLS lets it see them.
-- workspace_policies          immutable, numbered policy versions per workspace; the
--                             highest version is in force. A change inserts a new one.

CREATE TABLE plans (
  id                      text PRIMARY KEY,
  name                    text NOT NULL,
  scheduling_weight       integer NOT NULL,
  runs_per_minute         integer NOT NULL,
  tokens_per_minute       integer NOT NULL,
  api_requests_per_minute integer NOT NULL,
  concurrent_runs         integer NOT NULL,
  max_run_duration_ms     integer NOT NULL,
  max_steps               integer NOT NULL,
  knowledge_max_chunks    integer NOT NULL,
  knowledge_max_bytes     bigint NOT NULL,
  CONSTRAINT plans_id CHECK (id IN ('free', 'pro', 'enterprise')),
  CONSTRAINT plans_positive CHECK (scheduling_weight > 0 AND runs_per_minute > 0 AND tokens_per_minute > 0
    AND api_requests_per_minute > 0 AND concurrent_runs > 0 AND max_run_duration_ms > 0 AND max_steps > 0
    AND knowledge_max_chunks > 0 AND knowledge_max_bytes > 0)
);

INSERT INTO plans (id, name, scheduling_weight, runs_per_minute, tokens_per_minute, api_requests_per_minute,
                   concurrent_runs, max_run_duration_ms, max_steps, knowledge_max_chunks, knowledge_max_bytes) VALUES
  ('free',       'Free',       1,   30,    50000,   300,  2,  120000,  20,   20000,   52428800),
  ('pro',        'Pro',        4,  600,  1000000,  3000, 10,  600000,  50,  500000, 2147483648),
  ('enterprise', 'Enterprise', 8, 6000, 10000000, 30000, 50, 1800000, 100, 5000000, 21474836480);

GRANT SELECT ON plans TO enclave_app;

ALTER TABLE workspaces ADD CONSTRAINT workspaces_plan_fkey FOREIGN KEY (plan) REFERENCES plans (id);

CREATE TABLE workspace_limit_overrides (
  workspace_id            uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  scheduling_weight       integer,
  runs_per_minute         integer,
  tokens_per_minute       integer,
  api_requests_per_minute integer,
  concurrent_runs         integer,
  max_run_duration_ms     integer,
  max_steps               integer,
  knowledge_max_chunks    integer,
  knowledge_max_bytes     bigint,
  updated_by              uuid,
  updated_at              timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT workspace_limit_overrides_positive CHECK (
    coalesce(scheduling_weight, 1) > 0 AND coalesce(runs_per_minute, 1) > 0 AND coalesce(tokens_per_minute, 1) > 0
    AND coalesce(api_requests_per_minute, 1) > 0 AND coalesce(concurrent_runs, 1) > 0
    AND coalesce(max_run_duration_ms, 1) > 0 AND coalesce(max_steps, 1) > 0
    AND coalesce(knowledge_max_chunks, 1) > 0 AND coalesce(knowledge_max_bytes, 1) > 0)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON workspace_limit_overrides TO enclave_app;
ALTER TABLE workspace_limit_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_limit_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_limit_overrides_tenant ON workspace_limit_overrides
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY workspace_limit_overrides_operator_read ON workspace_limit_overrides FOR SELECT
  USING ((SELECT current_setting('app.operator', true)) = 'on');

CREATE FUNCTION workspace_limits(p_workspace_id uuid)
  RETURNS TABLE (plan text, scheduling_weight integer, runs_per_minute integer, tokens_per_minute integer,
                 api_requests_per_minute integer, concurrent_runs integer, max_run_duration_ms integer,
                 max_steps integer, knowledge_max_chunks integer, knowledge_max_bytes bigint)
  LANGUAGE sql STABLE SECURITY INVOKER
AS $$
  SELECT p.id,
         coalesce(o.scheduling_weight, p.scheduling_weight),
         coalesce(o.runs_per_minute, p.runs_per_minute),
         coalesce(o.tokens_per_minute, p.tokens_per_minute),
         coalesce(o.api_requests_per_minute, p.api_requests_per_minute),
         coalesce(o.concurrent_runs, p.concurrent_runs),
         coalesce(o.max_run_duration_ms, p.max_run_duration_ms),
         coalesce(o.max_steps, p.max_steps),
         coalesce(o.knowledge_max_chunks, p.knowledge_max_chunks),
         coalesce(o.knowledge_max_bytes, p.knowledge_max_bytes)
  FROM public.workspaces w
  JOIN public.plans p ON p.id = w.plan
  LEFT JOIN public.workspace_limit_overrides o ON o.workspace_id = w.id
  WHERE w.id = p_workspace_id
$$;
REVOKE ALL ON FUNCTION workspace_limits(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION workspace_limits(uuid) TO enclave_app;

CREATE TABLE workspace_policies (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  version      integer NOT NULL,
  document     jsonb NOT NULL,
  created_by   uuid,
  created_at   timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, version),
  CONSTRAINT workspace_policies_version CHECK (version > 0),
  CONSTRAINT workspace_policies_document CHECK (jsonb_typeof(document) = 'object')
);

GRANT SELECT, INSERT ON workspace_policies TO enclave_app;
ALTER TABLE workspace_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_policies_tenant ON workspace_policies
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
