-- Server-side sessions and account self-service. All four concerns are account
-- data, not tenant data (see server/db/global-tables.ts), and all sit behind
-- FORCE RLS like users: the whole set only inside withAccounts() (app.accounts),
-- otherwise a signed-in user sees their own rows (app.user_id).

-- One row per signed-in browser. The JWT carries the id; every request checks
-- the row is there, unrevoked, unexpired and the user's, so signing out ends it.
CREATE TABLE user_sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at     timestamptz(6) NOT NULL DEFAULT now(),
  last_seen_at   timestamptz(6) NOT NULL DEFAULT now(),
  expires_at     timestamptz(6) NOT NULL,
  revoked_at     timestamptz(6),
  user_agent     text,
  client_address text
);
CREATE INDEX user_sessions_user_id_idx ON user_sessions (user_id, created_at);
GRANT SELECT, INSERT ON user_sessions TO enclave_app;
GRANT UPDATE (last_seen_at, revoked_at) ON user_sessions TO enclave_app;
-- Deleting is only for pruning sessions that ended long ago (sessions.ts).
GRANT DELETE ON user_sessions TO enclave_app;
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY user_sessions_directory ON user_sessions
  USING ((SELECT current_setting('app.accounts', true)) = 'on')
  WITH CHECK ((SELECT current_setting('app.accounts', true)) = 'on');
CREATE POLICY user_sessions_self ON user_sessions
  USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
  WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

-- One-time links: completing a sign-up (mailed; the account is created only when
-- it is used) and resetting a password (mailed, or issued by the operator). Only
-- a SHA-256 of the token is stored. A pending sign-up keeps the password hash
-- it was asked with; like users.password_hash, the app role cannot read it and
-- gets it only by claiming the link through claim_sign_up().
CREATE TABLE account_tokens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose       text NOT NULL CHECK (purpose IN ('sign-up', 'password-reset')),
  token_hash    text NOT NULL UNIQUE,
  email         text NOT NULL,
  user_id       uuid REFERENCES users (id) ON DELETE CASCADE,
  name          text,
  password_hash text,
  issued_by_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz(6) NOT NULL DEFAULT now(),
  expires_at    timestamptz(6) NOT NULL,
  used_at       timestamptz(6),
  CONSTRAINT account_tokens_shape CHECK (
    (purpose = 'sign-up' AND name IS NOT NULL AND password_hash IS NOT NULL AND user_id IS NULL)
    OR (purpose = 'password-reset' AND user_id IS NOT NULL AND password_hash IS NULL))
);
GRANT SELECT (id, purpose, token_hash, email, user_id, name, issued_by_id, created_at, expires_at, used_at)
  ON account_tokens TO enclave_app;
GRANT INSERT ON account_tokens TO enclave_app;
GRANT UPDATE (used_at) ON account_tokens TO enclave_app;
-- Deleting is only for pruning links that expired long ago (account-tokens.ts).
GRANT DELETE ON account_tokens TO enclave_app;
ALTER TABLE account_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY account_tokens_directory ON account_tokens
  USING ((SELECT current_setting('app.accounts', true)) = 'on')
  WITH CHECK ((SELECT current_setting('app.accounts', true)) = 'on');

-- Marks an unused, unexpired sign-up link used and hands over what it holds —
-- once. Runs as the owner, so it checks the account context itself.
CREATE FUNCTION claim_sign_up(link_hash text)
  RETURNS TABLE (email text, name text, password_hash text)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  UPDATE account_tokens t SET used_at = now()
  WHERE t.token_hash = link_hash AND t.purpose = 'sign-up' AND t.used_at IS NULL
    AND t.expires_at > now() AND current_setting('app.accounts', true) = 'on'
  RETURNING t.email, t.name, t.password_hash
$$;
REVOKE ALL ON FUNCTION claim_sign_up(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_sign_up(text) TO enclave_app;

-- Account-level audit trail (the workspace one is audit_events): sessions
-- revoked, passwords changed, reset links issued and used. Append-only.
CREATE TABLE account_events (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid REFERENCES users (id) ON DELETE CASCADE,
  actor_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  action         text NOT NULL,
  client_address text,
  metadata       jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX account_events_user_id_idx ON account_events (user_id, created_at);
CREATE INDEX account_events_created_at_idx ON account_events (created_at);
GRANT SELECT, INSERT ON account_events TO enclave_app;
ALTER TABLE account_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_events FORCE ROW LEVEL SECURITY;
CREATE POLICY account_events_directory ON account_events
  USING ((SELECT current_setting('app.accounts', true)) = 'on')
  WITH CHECK ((SELECT current_setting('app.accounts', true)) = 'on');
CREATE POLICY account_events_self_read ON account_events FOR SELECT
  USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

-- Sign-up and password-reset requests are throttled per client address from the
-- same log as sign-in attempts.
ALTER TABLE login_attempts ADD COLUMN kind text NOT NULL DEFAULT 'sign-in'
  CHECK (kind IN ('sign-in', 'sign-up', 'password-reset'));
CREATE INDEX login_attempts_ip_created_at_idx ON login_attempts (ip, created_at);
