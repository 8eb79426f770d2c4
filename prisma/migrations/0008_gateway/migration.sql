-- The LLM gateway: a workspace's model providers, its routing per task type,
-- the operator's egress grant, and the append-only usage ledger.
--
-- llm_providers            OpenAI-compatible endpoints a tenant configured; the
--                          API key is a reference into the vault (never a value).
-- llm_routes               per task type, an ordered chain: position 0 is the
--                          default, the rest are fallbacks. provider_id NULL is the
--                          operator's built-in local model.
-- workspace_egress_grants  set by the operator only: may this workspace's
--                          provider base URLs reach private addresses?
-- usage_events             one row per gateway call. The app role may INSERT and
--                          SELECT, never UPDATE or DELETE; (workspace, run, step,
--                          attempt) is unique so a retried step is metered once.

-- The target of composite foreign keys into the vault.
CREATE UNIQUE INDEX secrets_workspace_id_id_key ON secrets (workspace_id, id);

CREATE TABLE llm_providers (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name              text NOT NULL,
  kind              text NOT NULL,
  base_url          text NOT NULL,
  api_key_secret_id uuid,
  models            text[] NOT NULL DEFAULT '{}',
  enabled           boolean NOT NULL DEFAULT true,
  priority          integer NOT NULL DEFAULT 100,
  timeout_ms        integer NOT NULL DEFAULT 60000,
  created_at        timestamptz(6) NOT NULL DEFAULT now(),
  updated_at        timestamptz(6) NOT NULL DEFAULT now(),
  -- Deleting the secret leaves the provider without a key rather than failing.
  CONSTRAINT llm_providers_api_key_fkey FOREIGN KEY (workspace_id, api_key_secret_id)
    REFERENCES secrets (workspace_id, id) ON DELETE SET NULL (api_key_secret_id),
  CONSTRAINT llm_providers_kind CHECK (kind IN ('openai-compatible', 'openai', 'azure', 'ollama', 'vllm', 'litellm')),
  CONSTRAINT llm_providers_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
  CONSTRAINT llm_providers_timeout CHECK (timeout_ms BETWEEN 1000 AND 600000),
  CONSTRAINT llm_providers_priority CHECK (priority BETWEEN 0 AND 10000)
);
CREATE UNIQUE INDEX llm_providers_workspace_id_id_key ON llm_providers (workspace_id, id);
CREATE UNIQUE INDEX llm_providers_workspace_id_name_key ON llm_providers (workspace_id, name);
CREATE INDEX llm_providers_workspace_id_api_key_secret_id_idx ON llm_providers (workspace_id, api_key_secret_id);

CREATE TABLE llm_routes (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  task_type    text NOT NULL,
  position     integer NOT NULL,
  provider_id  uuid,
  model        text NOT NULL,
  updated_at   timestamptz(6) NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, task_type, position),
  CONSTRAINT llm_routes_provider_fkey FOREIGN KEY (workspace_id, provider_id)
    REFERENCES llm_providers (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT llm_routes_task_type CHECK (task_type IN ('chat', 'embedding', 'utility')),
  CONSTRAINT llm_routes_position CHECK (position BETWEEN 0 AND 9),
  CONSTRAINT llm_routes_model_length CHECK (char_length(model) BETWEEN 1 AND 200)
);
CREATE INDEX llm_routes_workspace_id_provider_id_idx ON llm_routes (workspace_id, provider_id);

CREATE TABLE workspace_egress_grants (
  workspace_id            uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  allow_private_addresses boolean NOT NULL DEFAULT false,
  updated_by              uuid,
  updated_at              timestamptz(6) NOT NULL DEFAULT now()
);

CREATE TABLE usage_events (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  run_id        uuid,
  step_index    integer,
  attempt       integer,
  agent_id      uuid,
  provider_id   uuid,
  provider      text NOT NULL,
  model         text NOT NULL,
  task_type     text NOT NULL,
  input_tokens  integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost_usd      numeric(20, 10) NOT NULL DEFAULT 0,
  price_known   boolean NOT NULL,
  latency_ms    integer NOT NULL,
  status        text NOT NULL,
  error_kind    text,
  created_at    timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT usage_events_task_type CHECK (task_type IN ('chat', 'embedding', 'utility')),
  CONSTRAINT usage_events_status CHECK (status IN ('ok', 'error', 'fallback')),
  CONSTRAINT usage_events_tokens CHECK (input_tokens >= 0 AND output_tokens >= 0 AND cost_usd >= 0 AND latency_ms >= 0)
);
-- NULLs are distinct: calls outside a run are never deduplicated.
CREATE UNIQUE INDEX usage_events_idempotency_key ON usage_events (workspace_id, run_id, step_index, attempt);
CREATE INDEX usage_events_workspace_id_created_at_idx ON usage_events (workspace_id, created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON llm_providers, llm_routes TO enclave_app;
-- Written only through the operator procedure (audited); tenants read it.
GRANT SELECT, INSERT, UPDATE ON workspace_egress_grants TO enclave_app;
-- Append-only: history cannot be rewritten by the app.
GRANT SELECT, INSERT ON usage_events TO enclave_app;
REVOKE UPDATE, DELETE, TRUNCATE ON usage_events FROM enclave_app;

ALTER TABLE llm_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE llm_providers FORCE ROW LEVEL SECURITY;
ALTER TABLE llm_routes ENABLE ROW LEVEL SECURITY;
ALTER TABLE llm_routes FORCE ROW LEVEL SECURITY;
ALTER TABLE workspace_egress_grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_egress_grants FORCE ROW LEVEL SECURITY;
ALTER TABLE usage_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_events FORCE ROW LEVEL SECURITY;

CREATE POLICY llm_providers_tenant ON llm_providers
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY llm_routes_tenant ON llm_routes
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY workspace_egress_grants_tenant ON workspace_egress_grants
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY usage_events_tenant ON usage_events
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- Metering in one statement (the gateway's hot path): called by the connecting
-- user outside any transaction block, it takes the app role and the workspace
-- for its own (implicit) transaction, transaction-locally exactly as
-- withWorkspace() does, and only then plans and runs the INSERT — so the row is
-- checked by the usage_events policy as the app role. The app role itself may
-- not call it.
CREATE FUNCTION record_usage_event(
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
  PERFORM set_config('role', 'enclave_app', true), set_config('app.workspace_id', p_workspace_id::text, true);
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
