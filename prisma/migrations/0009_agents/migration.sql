-- Agents with immutable versions, the workspace prompt library, and custom HTTP tools.
--
-- agents          one row per agent: name (unique in the workspace), the number of
--                 its published version (always its latest; a rollback publishes
--                 an old version's content as a new one), archived_at.
-- agent_versions  immutable: the app role may INSERT and SELECT, never UPDATE or
--                 DELETE, so what a run executed stays on record. The model
--                 preference is provider_id + model; provider_id has no foreign
--                 key yet (the providers table arrives with the LLM gateway; null
--                 means the workspace's default route). knowledge_base_ids is a
--                 uuid[] until the knowledge issue adds its table.
-- prompt_snippets text that templates include with {{> name}}; the name is
--                 fixed once created (templates refer to it).
-- custom_tools    per-workspace HTTP tools. The auth header's secret is referred
--                 to by name through a composite key into secrets (workspace_id,
--                 name): the runtime reveals secrets by name and secret names
--                 never change. Deleting a secret a tool uses is refused by the
--                 vault; if the secret goes anyway (crypto-shredding the data
--                 key), the tool keeps its header with no secret and is not
--                 offered to agents until an admin picks another.

CREATE TABLE agents (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name              text NOT NULL,
  description       text NOT NULL DEFAULT '',
  published_version integer NOT NULL DEFAULT 1,
  archived_at       timestamptz(6),
  created_by        uuid,
  created_at        timestamptz(6) NOT NULL DEFAULT now(),
  updated_at        timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT agents_published_version_positive CHECK (published_version >= 1),
  CONSTRAINT agents_name_length CHECK (char_length(name) BETWEEN 1 AND 80)
);
CREATE UNIQUE INDEX agents_workspace_id_name_key ON agents (workspace_id, name);
CREATE UNIQUE INDEX agents_workspace_id_id_key ON agents (workspace_id, id);

CREATE TABLE agent_versions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id        uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id            uuid NOT NULL,
  version             integer NOT NULL,
  system_prompt       text NOT NULL,
  variables           jsonb NOT NULL DEFAULT '[]',
  provider_id         uuid,
  model               text NOT NULL,
  temperature         double precision NOT NULL DEFAULT 0.7,
  max_steps           integer NOT NULL DEFAULT 8,
  max_run_seconds     integer NOT NULL DEFAULT 120,
  tools               text[] NOT NULL DEFAULT '{}',
  memory_enabled      boolean NOT NULL DEFAULT false,
  knowledge_base_ids  uuid[] NOT NULL DEFAULT '{}',
  output_schema       jsonb,
  change_note         text NOT NULL DEFAULT '',
  created_by          uuid,
  created_at          timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT agent_versions_agent_fkey FOREIGN KEY (workspace_id, agent_id)
    REFERENCES agents (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT agent_versions_version_positive CHECK (version >= 1),
  CONSTRAINT agent_versions_temperature_range CHECK (temperature >= 0 AND temperature <= 2),
  CONSTRAINT agent_versions_max_steps_range CHECK (max_steps BETWEEN 1 AND 100),
  CONSTRAINT agent_versions_max_run_seconds_range CHECK (max_run_seconds BETWEEN 1 AND 3600),
  CONSTRAINT agent_versions_variables_array CHECK (jsonb_typeof(variables) = 'array')
);
CREATE UNIQUE INDEX agent_versions_workspace_id_agent_id_version_key ON agent_versions (workspace_id, agent_id, version);
CREATE UNIQUE INDEX agent_versions_workspace_id_id_key ON agent_versions (workspace_id, id);

CREATE TABLE prompt_snippets (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name         text NOT NULL,
  description  text NOT NULL DEFAULT '',
  body         text NOT NULL,
  created_by   uuid,
  created_at   timestamptz(6) NOT NULL DEFAULT now(),
  updated_at   timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT prompt_snippets_name_format CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$')
);
CREATE UNIQUE INDEX prompt_snippets_workspace_id_name_key ON prompt_snippets (workspace_id, name);

CREATE TABLE custom_tools (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name             text NOT NULL,
  description      text NOT NULL,
  parameters       jsonb NOT NULL,
  method           text NOT NULL,
  url_template     text NOT NULL,
  headers          jsonb NOT NULL DEFAULT '{}',
  auth_header      text,
  auth_secret_name text,
  auth_prefix      text NOT NULL DEFAULT '',
  enabled          boolean NOT NULL DEFAULT true,
  created_by       uuid,
  created_at       timestamptz(6) NOT NULL DEFAULT now(),
  updated_at       timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT custom_tools_auth_secret_fkey FOREIGN KEY (workspace_id, auth_secret_name)
    REFERENCES secrets (workspace_id, name) ON DELETE SET NULL (auth_secret_name),
  CONSTRAINT custom_tools_name_format CHECK (name ~ '^[a-zA-Z0-9_-]{1,64}$'),
  CONSTRAINT custom_tools_method CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')),
  CONSTRAINT custom_tools_auth_has_header CHECK (auth_secret_name IS NULL OR auth_header IS NOT NULL)
);
CREATE UNIQUE INDEX custom_tools_workspace_id_name_key ON custom_tools (workspace_id, name);
CREATE INDEX custom_tools_workspace_id_auth_secret_name_idx ON custom_tools (workspace_id, auth_secret_name);

-- Versions are written once and never changed: no UPDATE or DELETE for the app.
GRANT SELECT, INSERT ON agent_versions TO enclave_app;
GRANT SELECT, INSERT ON agents TO enclave_app;
GRANT UPDATE (description, published_version, archived_at, updated_at) ON agents TO enclave_app;
GRANT SELECT, INSERT, DELETE ON prompt_snippets TO enclave_app;
GRANT UPDATE (description, body, updated_at) ON prompt_snippets TO enclave_app;
GRANT SELECT, INSERT, DELETE ON custom_tools TO enclave_app;
GRANT UPDATE (description, parameters, method, url_template, headers, auth_header, auth_secret_name, auth_prefix, enabled, updated_at)
  ON custom_tools TO enclave_app;

ALTER TABLE agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE agents FORCE ROW LEVEL SECURITY;
ALTER TABLE agent_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE agent_versions FORCE ROW LEVEL SECURITY;
ALTER TABLE prompt_snippets ENABLE ROW LEVEL SECURITY;
ALTER TABLE prompt_snippets FORCE ROW LEVEL SECURITY;
ALTER TABLE custom_tools ENABLE ROW LEVEL SECURITY;
ALTER TABLE custom_tools FORCE ROW LEVEL SECURITY;

CREATE POLICY agents_tenant ON agents
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY agent_versions_tenant ON agent_versions
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY prompt_snippets_tenant ON prompt_snippets
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY custom_tools_tenant ON custom_tools
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
