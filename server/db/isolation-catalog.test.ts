// Isolation suite (a): the catalog proves the database enforces tenancy. Every
// table in schema public is either tenant data (workspace_id, or the tenant root)
// under ENABLE + FORCE row-level security with a policy on app.workspace_id, or
// a documented global table; the app role owns nothing and bypasses nothing.
// Table lists come from pg_catalog, so a new table is checked the day it lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { GLOBAL_TABLES, TENANT_ROOT_TABLE } from './global-tables';
import { APP_ROLE } from './with-workspace';

type CatalogTable = {
  table: string;
  rls: boolean;
  force_rls: boolean;
  has_workspace_id: boolean;
  workspace_id_type: string | null;
  workspace_id_not_null: boolean | null;
};
type CatalogPolicy = { table: string; name: string; cmd: string; qual: string | null; with_check: string | null };

let db: TestDatabase;
let tables: CatalogTable[];
let policies: CatalogPolicy[];

const tenantColumnOf = (t: CatalogTable) => (t.table === TENANT_ROOT_TABLE ? 'id' : 'workspace_id');
const tenantTables = () => tables.filter((t) => t.has_workspace_id || t.table === TENANT_ROOT_TABLE);

function listing(title: string, problems: string[]): string {
  return `${title}:\n  ${problems.join('\n  ')}`;
}

/** An expression that compares `column` with the transaction's app.workspace_id. */
function comparesToWorkspaceSetting(expression: string | null, column: string): boolean {
  if (!expression) return false;
  return new RegExp(`\\b${column} = \\(\\s*SELECT .*current_setting\\('app\\.workspace_id'`, 's').test(expression);
}

/** A policy for ALL commands whose USING and WITH CHECK both pin the tenant column. */
function isTenantPolicy(policy: CatalogPolicy, column: string): boolean {
  // An ALL policy without WITH CHECK applies USING to new rows too.
  const check = policy.with_check ?? policy.qual;
  return policy.cmd === '*' && comparesToWorkspaceSetting(policy.qual, column) && comparesToWorkspaceSetting(check, column);
}

beforeAll(async () => {
  db = await createTestDatabase();
  tables = (
    await db.owner.query<CatalogTable>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
             wa.attnum IS NOT NULL AS has_workspace_id,
             format_type(wa.atttypid, wa.atttypmod) AS workspace_id_type,
             wa.attnotnull AS workspace_id_not_null
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attribute wa ON wa.attrelid = c.oid AND wa.attname = 'workspace_id' AND NOT wa.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`)
  ).rows;
  policies = (
    await db.owner.query<CatalogPolicy>(`
      SELECT c.relname AS table, p.polname AS name, p.polcmd AS cmd,
             pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
      FROM pg_policy p
      JOIN pg_class c ON c.oid = p.polrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public'`)
  ).rows;
});
afterAll(async () => db.stop());

describe('isolation (a): the catalog', () => {
  it('finds the tenant root and at least one workspace_id table', () => {
    expect(tables.map((t) => t.table)).toContain(TENANT_ROOT_TABLE);
    expect(tables.filter((t) => t.has_workspace_id).length).toBeGreaterThan(0);
  });

  it('puts every tenant table under ENABLE and FORCE row-level security', () => {
    const problems = tenantTables()
      .filter((t) => !t.rls || !t.force_rls)
      .map((t) => `${t.table}: ${[!t.rls && 'ENABLE', !t.force_rls && 'FORCE'].filter(Boolean).join(' and ')} ROW LEVEL SECURITY missing`);
    expect(problems, listing('Tenant tables without full RLS', problems)).toEqual([]);
  });

  it('gives every tenant table a policy pinning its tenant column to app.workspace_id', () => {
    const problems = tenantTables()
      .filter((t) => !policies.some((p) => p.table === t.table && isTenantPolicy(p, tenantColumnOf(t))))
      .map((t) => `${t.table}: no FOR ALL policy with USING and WITH CHECK ` +
        `"${tenantColumnOf(t)} = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)"`);
    expect(problems, listing('Tenant tables without a tenant policy', problems)).toEqual([]);
  });

  it('has no policy expression that grants rows without reading a transaction-local app.* setting', () => {
    const problems = policies
      .filter((p) => {
        const expressions = [p.qual, p.with_check].filter((e): e is string => e !== null);
        return expressions.length === 0 || expressions.some((e) => !e.includes("current_setting('app."));
      })
      .map((p) => `${p.table}.${p.name}: USING ${p.qual ?? '-'} WITH CHECK ${p.with_check ?? '-'}`);
    expect(problems, listing('Unconditional policies', problems)).toEqual([]);
  });

  it('stores workspace_id as uuid NOT NULL', () => {
    const problems = tables
      .filter((t) => t.has_workspace_id && (t.workspace_id_type !== 'uuid' || !t.workspace_id_not_null))
      .map((t) => `${t.table}.workspace_id is ${t.workspace_id_type}${t.workspace_id_not_null ? ' NOT NULL' : ' NULL'}`);
    expect(problems, listing('workspace_id columns that are not uuid NOT NULL', problems)).toEqual([]);
  });

  it('lists every table without workspace_id in GLOBAL_TABLES, and only existing tables there', () => {
    const names = new Set(tables.map((t) => t.table));
    const undeclared = tables
      .filter((t) => !t.has_workspace_id && t.table !== TENANT_ROOT_TABLE && !(t.table in GLOBAL_TABLES))
      .map((t) => `${t.table}: add workspace_id + RLS, or declare it in GLOBAL_TABLES with the reason`);
    const stale = Object.keys(GLOBAL_TABLES)
      .filter((name) => !names.has(name))
      .map((name) => `${name}: listed in GLOBAL_TABLES but no such table`);
    const contradictory = tables
      .filter((t) => t.has_workspace_id && t.table in GLOBAL_TABLES)
      .map((t) => `${t.table}: has workspace_id, so it is tenant data, yet it is listed in GLOBAL_TABLES`);
    const problems = [...undeclared, ...stale, ...contradictory];
    expect(problems, listing('server/db/global-tables.ts is out of step with the database', problems)).toEqual([]);
  });

  it('keeps the app role unprivileged: not superuser, no BYPASSRLS, not a member of a role that is', async () => {
    const { rows } = await db.owner.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
      [APP_ROLE],
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    const escalations = await db.owner.query<{ rolname: string }>(
      `SELECT r.rolname FROM pg_roles r
       WHERE r.rolname <> $1 AND pg_has_role($1, r.oid, 'MEMBER')
         AND (r.rolsuper OR r.rolbypassrls OR EXISTS (
           SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relowner = r.oid))`,
      [APP_ROLE],
    );
    expect(escalations.rows.map((r) => r.rolname), `${APP_ROLE} can SET ROLE into a privileged role`).toEqual([]);
  });

  it('lets the app role own no table, view, sequence or function in public, nor create one', async () => {
    const { rows } = await db.owner.query<{ object: string }>(
      `SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                   WHEN 'i' THEN 'index' ELSE 'table' END || ' ' || c.relname AS object
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL
       SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
       UNION ALL
       SELECT 'schema public' FROM pg_namespace
       WHERE nspname = 'public' AND nspowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [APP_ROLE],
    );
    // An owner is exempt from ENABLE-only RLS and can ALTER or DROP policies.
    const owned = rows.map((r) => r.object);
    expect(owned, listing(`Objects owned by ${APP_ROLE}`, owned)).toEqual([]);
    const create = await db.owner.query<{ allowed: boolean }>(
      `SELECT has_schema_privilege($1, 'public', 'CREATE') AS allowed`,
      [APP_ROLE],
    );
    expect(create.rows[0]!.allowed, `${APP_ROLE} may create (and so own) objects in public`).toBe(false);
  });

  it('makes every foreign key between tenant tables carry the tenant column to the tenant column', async () => {
    // Foreign-key checks bypass RLS: only a key that includes workspace_id on both
    // sides stops a row from pointing into another workspace.
    const { rows } = await db.owner.query<{ name: string; from_table: string; to_table: string; pairs: string[] }>(`
      SELECT f.conname AS name, src.relname AS from_table, dst.relname AS to_table,
             array_agg(sa.attname || '->' || da.attname ORDER BY k.ord) AS pairs
      FROM pg_constraint f
      JOIN pg_class src ON src.oid = f.conrelid
      JOIN pg_class dst ON dst.oid = f.confrelid
      JOIN pg_namespace n ON n.oid = src.relnamespace
      CROSS JOIN LATERAL unnest(f.conkey, f.confkey) WITH ORDINALITY AS k(src_attnum, dst_attnum, ord)
      JOIN pg_attribute sa ON sa.attrelid = f.conrelid AND sa.attnum = k.src_attnum
      JOIN pg_attribute da ON da.attrelid = f.confrelid AND da.attnum = k.dst_attnum
      WHERE f.contype = 'f' AND n.nspname = 'public'
      GROUP BY f.conname, src.relname, dst.relname`);
    const tenant = new Map(tenantTables().map((t) => [t.table, tenantColumnOf(t)]));
    const between = rows.filter((r) => tenant.has(r.from_table) && tenant.has(r.to_table));
    expect(between.some((r) => r.to_table !== TENANT_ROOT_TABLE), 'no foreign key between two tenant tables to check').toBe(true);
    const problems = between
      .filter((r) => !r.pairs.includes(`${tenant.get(r.from_table)}->${tenant.get(r.to_table)}`))
      .map((r) => `${r.from_table}.${r.name} (${r.pairs.join(', ')}) → ${r.to_table}: ` +
        `make it (workspace_id, x_id) → (workspace_id, id)`);
    expect(problems, listing('Foreign keys that could point into another workspace', problems)).toEqual([]);
  });

  it('indexes every tenant table by its tenant column first', async () => {
    const { rows } = await db.owner.query<{ table: string; first_column: string }>(`
      SELECT c.relname AS table, a.attname AS first_column
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
      WHERE n.nspname = 'public'`);
    const problems = tenantTables()
      .filter((t) => !rows.some((r) => r.table === t.table && r.first_column === tenantColumnOf(t)))
      .map((t) => `${t.table}: no index leading with ${tenantColumnOf(t)} (every tenant query filters on it)`);
    expect(problems, listing('Tenant tables without a tenant index', problems)).toEqual([]);
  });
});
