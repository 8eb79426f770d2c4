// The tables that are deliberately NOT tenant data, each with the reason. Every
// other table must carry workspace_id with FORCE ROW LEVEL SECURITY; the
// isolation suite fails on any table that is in neither group.

export const GLOBAL_TABLES: Readonly<Record<string, string>> = {
  // Both still have FORCE RLS (migration 0002): the whole directory only inside
  // withAccounts(); elsewhere a user sees their own row and a workspace its members'.
  users: 'identity exists before and across workspaces; a user belongs to many',
  login_attempts: 'sign-in throttling happens before the caller has any identity or workspace',
  // Migration 0005; same FORCE RLS shape: everything inside withAccounts(), a user their own rows.
  user_sessions: 'a signed-in browser belongs to a user, not a workspace; it exists before any workspace is chosen',
  account_tokens: 'sign-up and password-reset links come before the caller has an identity or a workspace',
  account_events: "an account's own audit trail (sessions, passwords, reset links), across all its workspaces",
  // Migration 0019: read-only for the app role; a workspace's plan and the operator's
  // per-workspace overrides (workspace_limit_overrides) are tenant data.
  plans: 'the three plans and what each allows are the same for every workspace',
  // Migration 0022: written only by delete_workspace(); readable under app.operator.
  workspace_deletion_receipts: "the operator's record of a deleted workspace outlives it (row counts, never content)",
  _enclave_migrations: 'bookkeeping of the schema itself, written only by the migrator',
};

/** The tenant root: keyed by its own id rather than workspace_id. */
export const TENANT_ROOT_TABLE = 'workspaces';
