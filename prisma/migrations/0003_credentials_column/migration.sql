-- Password hashes are not readable by the app role. Every other users column
-- is; a query that selects the whole row (say, a relation included without a
-- select) fails loudly instead of carrying hashes towards a response. Sign-in
-- reads a hash through account_credentials(), which runs as the owner (who may
-- be a superuser, to whom RLS does not apply) and so checks the account context
-- itself: it finds nothing outside withAccounts().

REVOKE SELECT ON users FROM enclave_app;
GRANT SELECT (id, email, name, is_operator, created_at) ON users TO enclave_app;

CREATE FUNCTION account_credentials(account_email text)
  RETURNS TABLE (id uuid, email text, name text, is_operator boolean, password_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  SELECT u.id, u.email, u.name, u.is_operator, u.password_hash FROM users u
  WHERE u.email = account_email AND current_setting('app.accounts', true) = 'on'
$$;
REVOKE ALL ON FUNCTION account_credentials(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_credentials(text) TO enclave_app;
