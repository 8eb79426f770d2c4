-- Foundation: identity, workspaces, memberships, invitations, audit log, and the
-- roles and row-level security policies that make the database enforce tenancy.
--
-- Roles:
--   enclave_app       every request runs as this role (SET LOCAL ROLE inside the
--                     transaction); not a table owner, no BYPASSRLS.
-- Tenant context, always transaction-local:
--   app.workspace_id  the workspace the transaction acts for
--   app.user_id       the signed-in user (lists their own memberships)
--   app.invite_token  hash of an invitation token being accepted

-- pgvector backs knowledge and memory search in later migrations.
CREATE EXTENSION IF NOT EXISTS vector;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'enclave_app') THEN
    CREATE ROLE enclave_app NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;

-- The connecting user must be able to switch into the app role.
DO $$
BEGIN
  EXECUTE format('GRANT enclave_app TO %I', current_user);
END
$$;

GRANT USAGE ON SCHEMA public TO enclave_app;

CREATE TYPE workspace_role AS ENUM ('owner', 'admin', 'member', 'viewer');

-- Global tables (see server/db/global-tables.ts for why each is not tenant data).

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE,
  name          text NOT NULL,
  password_hash text NOT NULL,
  is_operator   boolean NOT NULL DEFAULT false,
  created_at    timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT users_email_lowercase CHECK (email = lower(email))
);
GRANT SELECT, INSERT, UPDATE ON users TO enclave_app;

CREATE TABLE login_attempts (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email      text NOT NULL,
  ip         text,
  succeeded  boolean NOT NULL,
  created_at timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_created_at_idx ON login_attempts (email, created_at);
GRANT SELECT, INSERT, DELETE ON login_attempts TO enclave_app;

-- Tenant tables.

CREATE TABLE workspaces (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  slug       text NOT NULL UNIQUE,
  plan       text NOT NULL DEFAULT 'free',
  created_at timestamptz(6) NOT NULL DEFAULT now(),
  updated_at timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT workspaces_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$')
);

CREATE TABLE memberships (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role         workspace_role NOT NULL,
  created_at   timestamptz(6) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX memberships_workspace_id_user_id_key ON memberships (workspace_id, user_id);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE invitations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email         text NOT NULL,
  role          workspace_role NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  invited_by_id uuid,
  expires_at    timestamptz(6) NOT NULL,
  accepted_at   timestamptz(6),
  revoked_at    timestamptz(6),
  created_at    timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX invitations_workspace_id_created_at_idx ON invitations (workspace_id, created_at);

CREATE TABLE audit_events (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  actor_user_id uuid,
  action        text NOT NULL,
  target        text,
  metadata      jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_workspace_id_created_at_idx ON audit_events (workspace_id, created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON workspaces, memberships, invitations TO enclave_app;
-- Audit is append-only for the app.
GRANT SELECT, INSERT ON audit_events TO enclave_app;

-- Row-level security. FORCE applies the policies to the table owner too.

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;

-- A workspace row belongs to its own context; its members may also see it (the
-- workspace switcher lists them before any workspace is chosen).
CREATE POLICY workspaces_tenant ON workspaces
  USING (id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY workspaces_member_read ON workspaces FOR SELECT
  USING (id IN (SELECT m.workspace_id FROM memberships m
                WHERE m.user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid)));

-- An invitee holding a token may read the name of the workspace it invites to.
CREATE POLICY workspaces_invitee_read ON workspaces FOR SELECT
  USING (id IN (SELECT i.workspace_id FROM invitations i
                WHERE i.token_hash = (SELECT nullif(current_setting('app.invite_token', true), ''))));

CREATE POLICY memberships_tenant ON memberships
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY memberships_own_read ON memberships FOR SELECT
  USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

CREATE POLICY invitations_tenant ON invitations
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
-- Whoever holds an invitation's token may read that one invitation.
CREATE POLICY invitations_token_read ON invitations FOR SELECT
  USING (token_hash = (SELECT nullif(current_setting('app.invite_token', true), '')));

CREATE POLICY audit_events_tenant ON audit_events
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
