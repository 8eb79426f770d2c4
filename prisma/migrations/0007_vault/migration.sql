-- The secrets vault: per-workspace data keys and the secrets they encrypt.
--
-- workspace_keys  one AES-256-GCM data key per workspace, stored only wrapped
--                 (AES-256-GCM) by the master key named in master_key_id, so
--                 the master key can be rotated by rewrapping these rows.
-- secrets         values encrypted with the workspace's data key. The app role
--                 may write ciphertext but not SELECT it: listing code that
--                 forgets to narrow its columns fails loudly instead of carrying
--                 ciphertext towards a response. The one read path is
--                 secret_material(), used by the runtime's decrypt.
-- Deleting a workspace cascades to its key; without the key its ciphertexts
-- are noise.

CREATE TABLE workspace_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  wrapped_key   bytea NOT NULL,
  iv            bytea NOT NULL,
  tag           bytea NOT NULL,
  master_key_id text NOT NULL,
  created_at    timestamptz(6) NOT NULL DEFAULT now(),
  rotated_at    timestamptz(6),
  CONSTRAINT workspace_keys_iv_length CHECK (octet_length(iv) = 12),
  CONSTRAINT workspace_keys_tag_length CHECK (octet_length(tag) = 16)
);
-- One active data key per workspace; (workspace_id, id) is the target of the
-- composite foreign key from secrets.
CREATE UNIQUE INDEX workspace_keys_workspace_id_key ON workspace_keys (workspace_id);
CREATE UNIQUE INDEX workspace_keys_workspace_id_id_key ON workspace_keys (workspace_id, id);

CREATE TABLE secrets (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  key_id       uuid NOT NULL,
  name         text NOT NULL,
  ciphertext   bytea NOT NULL,
  iv           bytea NOT NULL,
  tag          bytea NOT NULL,
  created_by   uuid,
  created_at   timestamptz(6) NOT NULL DEFAULT now(),
  updated_at   timestamptz(6) NOT NULL DEFAULT now(),
  last_used_at timestamptz(6),
  CONSTRAINT secrets_key_fkey FOREIGN KEY (workspace_id, key_id)
    REFERENCES workspace_keys (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT secrets_name_format CHECK (name ~ '^[A-Z][A-Z0-9_]{0,63}$'),
  CONSTRAINT secrets_iv_length CHECK (octet_length(iv) = 12),
  CONSTRAINT secrets_tag_length CHECK (octet_length(tag) = 16)
);
CREATE UNIQUE INDEX secrets_workspace_id_name_key ON secrets (workspace_id, name);
CREATE INDEX secrets_workspace_id_key_id_idx ON secrets (workspace_id, key_id);

-- Rewrapping under a new master key updates the wrapping and nothing else.
GRANT SELECT, INSERT, DELETE ON workspace_keys TO enclave_app;
GRANT UPDATE (wrapped_key, iv, tag, master_key_id, rotated_at) ON workspace_keys TO enclave_app;

GRANT SELECT (id, workspace_id, key_id, name, created_by, created_at, updated_at, last_used_at) ON secrets TO enclave_app;
GRANT INSERT, DELETE ON secrets TO enclave_app;
GRANT UPDATE (key_id, ciphertext, iv, tag, updated_at, last_used_at) ON secrets TO enclave_app;

ALTER TABLE workspace_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_keys FORCE ROW LEVEL SECURITY;
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE secrets FORCE ROW LEVEL SECURITY;

CREATE POLICY workspace_keys_tenant ON workspace_keys
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY secrets_tenant ON secrets
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- The encrypted material of one secret of the transaction's workspace, with the
-- wrapped data key that opens it. It runs as the owner (who may be a superuser,
-- to whom RLS does not apply), so it checks the workspace setting itself and
-- finds nothing outside withWorkspace().
CREATE FUNCTION secret_material(secret_name text)
  RETURNS TABLE (secret_id uuid, key_id uuid, ciphertext bytea, iv bytea, tag bytea,
                 wrapped_key bytea, key_iv bytea, key_tag bytea, master_key_id text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  SELECT s.id, s.key_id, s.ciphertext, s.iv, s.tag, k.wrapped_key, k.iv, k.tag, k.master_key_id
  FROM secrets s
  JOIN workspace_keys k ON k.workspace_id = s.workspace_id AND k.id = s.key_id
  WHERE s.workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid
    AND s.name = secret_name
$$;
REVOKE ALL ON FUNCTION secret_material(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION secret_material(text) TO enclave_app;
