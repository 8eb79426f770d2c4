-- The account directory: users and login attempts are global (not tenant data),
-- but not everyone's to read. The whole directory is visible only to a
-- transaction opened for account work — sign-up, sign-in, start-up upkeep —
-- which sets app.accounts = 'on' (withAccounts() in server/db/with-workspace.ts).
-- Otherwise a signed-in user sees their own row and a workspace sees the rows of
-- its members, so a workspace query that forgets a filter cannot list the
-- platform's users.

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE login_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_attempts FORCE ROW LEVEL SECURITY;

CREATE POLICY users_directory ON users
  USING ((SELECT current_setting('app.accounts', true)) = 'on')
  WITH CHECK ((SELECT current_setting('app.accounts', true)) = 'on');
CREATE POLICY users_self_read ON users FOR SELECT
  USING (id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
-- memberships is itself filtered by RLS, so this sees the current workspace only.
CREATE POLICY users_member_read ON users FOR SELECT
  USING (id IN (SELECT m.user_id FROM memberships m
                WHERE m.workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)));

CREATE POLICY login_attempts_directory ON login_attempts
  USING ((SELECT current_setting('app.accounts', true)) = 'on')
  WITH CHECK ((SELECT current_setting('app.accounts', true)) = 'on');
