-- Durable agent runs and their steps.
--
-- runs       one row per run: the agent version it executes, its input and
--            variables, its state (server/agents/run-states.ts), the lease of the
--            worker executing it (lease_owner until lease_expires_at), how often it
--            was claimed (attempt_count), a cancel request, its deadline, output or
--            error. (workspace_id, idempotency_key) is unique: the same key gives
--            the same run.
-- run_steps  one row per model call or tool call, written before the next step
--            starts; (workspace_id, run_id, step_index) is unique so a step redone
--            after a worker died replaces nothing and is never written twice.
--            request/response hold what the model saw and said, never a secret.
--
-- Claiming crosses workspaces: a worker has no tenant. withRunClaim() (server/db/
-- with-workspace.ts) sets only app.run_claim, under which the runs_claim_* policies
-- let it see and update runs (never steps or any other table) for the one claim
-- statement in server/agents/claim-order.ts; the run itself is then executed
-- through withWorkspace() like any other tenant work.

CREATE TABLE runs (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id         uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id             uuid NOT NULL,
  agent_version        integer NOT NULL,
  status               text NOT NULL DEFAULT 'queued',
  input                text NOT NULL,
  variables            jsonb NOT NULL DEFAULT '{}',
  idempotency_key      text,
  output               text,
  error                text,
  lease_owner          text,
  lease_expires_at     timestamptz(6),
  attempt_count        integer NOT NULL DEFAULT 0,
  cancel_requested     boolean NOT NULL DEFAULT false,
  deadline_at          timestamptz(6),
  claimed_at           timestamptz(6),
  created_by           uuid,
  end_user_id          text,
  created_at           timestamptz(6) NOT NULL DEFAULT now(),
  started_at           timestamptz(6),
  finished_at          timestamptz(6),
  CONSTRAINT runs_agent_version_fkey FOREIGN KEY (workspace_id, agent_id, agent_version)
    REFERENCES agent_versions (workspace_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT runs_agent_fkey FOREIGN KEY (workspace_id, agent_id)
    REFERENCES agents (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT runs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out')),
  CONSTRAINT runs_input_length CHECK (char_length(input) <= 100000),
  CONSTRAINT runs_idempotency_key_length CHECK (idempotency_key IS NULL OR char_length(idempotency_key) BETWEEN 1 AND 200),
  CONSTRAINT runs_variables_object CHECK (jsonb_typeof(variables) = 'object')
);
CREATE UNIQUE INDEX runs_workspace_id_id_key ON runs (workspace_id, id);
CREATE UNIQUE INDEX runs_workspace_id_idempotency_key_key ON runs (workspace_id, idempotency_key);
CREATE INDEX runs_workspace_id_created_at_idx ON runs (workspace_id, created_at);
CREATE INDEX runs_workspace_id_agent_id_created_at_idx ON runs (workspace_id, agent_id, created_at);
CREATE INDEX runs_workspace_id_agent_id_agent_version_idx ON runs (workspace_id, agent_id, agent_version);
-- The claim reads runnable rows only.
CREATE INDEX runs_workspace_id_claimable_idx ON runs (workspace_id, created_at) WHERE status IN ('queued', 'running');

CREATE TABLE run_steps (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  run_id        uuid NOT NULL,
  step_index    integer NOT NULL,
  kind          text NOT NULL,
  status        text NOT NULL,
  request       jsonb,
  response      jsonb,
  tool_name     text,
  tool_call_id  text,
  tool_args     jsonb,
  tool_result   jsonb,
  error         text,
  provider      text,
  model         text,
  input_tokens  integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost_usd      numeric(20, 10) NOT NULL DEFAULT 0,
  latency_ms    integer NOT NULL DEFAULT 0,
  started_at    timestamptz(6) NOT NULL,
  finished_at   timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT run_steps_run_fkey FOREIGN KEY (workspace_id, run_id)
    REFERENCES runs (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT run_steps_kind CHECK (kind IN ('model', 'tool')),
  CONSTRAINT run_steps_status CHECK (status IN ('ok', 'error')),
  CONSTRAINT run_steps_step_index CHECK (step_index >= 0),
  CONSTRAINT run_steps_tokens CHECK (input_tokens >= 0 AND output_tokens >= 0 AND cost_usd >= 0 AND latency_ms >= 0)
);
CREATE UNIQUE INDEX run_steps_workspace_id_run_id_step_index_key ON run_steps (workspace_id, run_id, step_index);

GRANT SELECT, INSERT ON runs TO enclave_app;
GRANT UPDATE (status, output, error, lease_owner, lease_expires_at, attempt_count, cancel_requested, deadline_at, claimed_at, started_at, finished_at)
  ON runs TO enclave_app;
-- Steps are a record: written once, never changed by the app.
GRANT SELECT, INSERT ON run_steps TO enclave_app;

ALTER TABLE runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE runs FORCE ROW LEVEL SECURITY;
ALTER TABLE run_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_steps FORCE ROW LEVEL SECURITY;

CREATE POLICY runs_tenant ON runs
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY runs_claim_select ON runs FOR SELECT
  USING (current_setting('app.run_claim', true) = 'on');
CREATE POLICY runs_claim_update ON runs FOR UPDATE
  USING (current_setting('app.run_claim', true) = 'on')
  WITH CHECK (current_setting('app.run_claim', true) = 'on');
CREATE POLICY run_steps_tenant ON run_steps
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
