// The tables that are deliberately NOT tenant data, each with the reason. Every
// other table must carry workspace_id with FORCE ROW LEVEL SECURITY; the
// isolation suite fails on any table that is in neither group.

export const GLOBAL_TABLES: Readonly<Record<string, string>> = {
  users: 'identity exists before and across workspaces; a user belongs to many',
  login_attempts: 'sign-in throttling happens before the caller has any identity or workspace',
  _enclave_migrations: 'bookkeeping of the schema itself, written only by the migrator',
};

/** The tenant root: keyed by its own id rather than workspace_id. */
export const TENANT_ROOT_TABLE = 'workspaces';
