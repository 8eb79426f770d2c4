// Test support for the isolation suites: the tenant tables as the catalog
// describes them (never a hand-kept list), strict identifier quoting for SQL
// generated from those names, owner-side snapshots of one workspace's rows, and
// a pg transaction that acts exactly like withWorkspace() does in the app.
import type pg from 'pg';
import { TENANT_ROOT_TABLE } from '../db/global-tables';
import { APP_ROLE } from '../db/with-workspace';

export type TenantTable = {
  table: string;
  /** workspace_id, or id for the tenant root (workspaces). */
  tenantColumn: string;
  primaryKey: string[];
};

/** Double-quotes a catalog name; refuses anything but plain lower-case identifiers. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Refusing to quote unexpected identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Every table in schema public that holds tenant rows: those with workspace_id, plus the tenant root. */
export async function tenantTables(owner: pg.Pool): Promise<TenantTable[]> {
  const { rows } = await owner.query<{ table: string; has_workspace_id: boolean; primary_key: string[] | null }>(
    `SELECT c.relname AS table,
            EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped) AS has_workspace_id,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
             FROM pg_constraint pk
             CROSS JOIN LATERAL unnest(pk.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             WHERE pk.conrelid = c.oid AND pk.contype = 'p') AS primary_key
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
     ORDER BY c.relname`,
  );
  return rows
    .filter((r) => r.has_workspace_id || r.table === TENANT_ROOT_TABLE)
    .map((r) => {
      if (!r.primary_key?.length) throw new Error(`Tenant table ${r.table} has no primary key`);
      return { table: r.table, tenantColumn: r.has_workspace_id ? 'workspace_id' : 'id', primaryKey: r.primary_key };
    });
}

export type Snapshot = Record<string, unknown[]>;

/** All of one workspace's rows in every tenant table, read as the owner, in primary-key order. */
export async function snapshotWorkspaceRows(owner: pg.Pool, tables: TenantTable[], workspaceId: string): Promise<Snapshot> {
  const client = await owner.connect();
  try {
    await client.query('BEGIN READ ONLY');
    // An owner subject to FORCE RLS must fail loudly here, not return a filtered view.
    await client.query('SET LOCAL row_security = off');
    const snapshot: Snapshot = {};
    for (const t of tables) {
      const { rows } = await client.query<{ row: unknown }>(
        `SELECT to_jsonb(t) AS row FROM public.${quoteIdent(t.table)} t
         WHERE t.${quoteIdent(t.tenantColumn)} = $1 ORDER BY ${t.primaryKey.map((c) => `t.${quoteIdent(c)}`).join(', ')}`,
        [workspaceId],
      );
      snapshot[t.table] = rows.map((r) => r.row);
    }
    return snapshot;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

/** Tables of a snapshot holding no rows: the seed does not exercise them. */
export function unseededTables(snapshot: Snapshot): string[] {
  return Object.entries(snapshot)
    .filter(([, rows]) => rows.length === 0)
    .map(([table]) => table);
}

/** The transaction-local settings the RLS policies read (see server/db/with-workspace.ts). */
export type AppSettings = { workspaceId?: string; userId?: string; inviteTokenHash?: string; endUserAdmin?: boolean };

/**
 * Runs fn in one transaction set up the way with-workspace.ts sets up the app's:
 * the app role and transaction-local tenant settings. An omitted workspaceId
 * leaves app.workspace_id unset. Commits, so anything RLS wrongly let through
 * persists and shows up in the before/after snapshots.
 */
export async function asAppRole<T>(
  owner: pg.Pool,
  settings: AppSettings,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `SELECT set_config('role', $1, true), set_config('app.user_id', $2, true), set_config('app.invite_token', $3, true)`,
      [APP_ROLE, settings.userId ?? '', settings.inviteTokenHash ?? ''],
    );
    if (settings.workspaceId !== undefined) {
      await client.query(`SELECT set_config('app.workspace_id', $1, true)`, [settings.workspaceId]);
    }
    // The broadest context inside one workspace: every end user's threads and memory (withWorkspaceEndUsers).
    if (settings.endUserAdmin) await client.query(`SELECT set_config('app.end_user_admin', 'on', true)`);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export type Attempt = { ok: true; rows: Record<string, unknown>[]; rowCount: number } | { ok: false; code: string; message: string };

/** Runs one statement inside a savepoint, so a refused statement leaves the transaction usable. */
export async function attempt(client: pg.PoolClient, sql: string, params: unknown[] = []): Promise<Attempt> {
  await client.query('SAVEPOINT probe');
  try {
    const result = await client.query(sql, params);
    await client.query('RELEASE SAVEPOINT probe');
    return { ok: true, rows: result.rows, rowCount: result.rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT probe');
    const { code = 'unknown', message } = error as { code?: string; message: string };
    return { ok: false, code, message };
  }
}
