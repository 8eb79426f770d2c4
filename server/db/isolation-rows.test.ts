// Isolation suite (b): row-level security holds for every tenant table the
// catalog knows about. Acting as workspace A exactly the way the app does (app
// role, transaction-local app.workspace_id), generated SQL cannot read, update,
// delete, insert into or move rows into workspace B; without a workspace no
// tenant row is visible; A's user and invitation-token read paths show nothing
// of B; and B's rows are byte-for-byte unchanged afterwards.
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashInvitationToken } from '../tenancy/invitations';
import {
  asAppRole,
  attempt,
  quoteIdent,
  snapshotWorkspaceRows,
  tenantTables,
  unseededTables,
  type Attempt,
  type Snapshot,
  type TenantTable,
} from '../testing/tenant-tables';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces } from '../testing/two-workspaces';

let db: TestDatabase;
let tables: TenantTable[];
let seed: Awaited<ReturnType<typeof seedTwoWorkspaces>>;
let A: string;
let B: string;
let bBefore: Snapshot;

const from = (t: TenantTable) => `public.${quoteIdent(t.table)}`;
const col = (t: TenantTable) => quoteIdent(t.tenantColumn);
const describeAttempt = (r: Attempt) => (r.ok ? `succeeded on ${r.rowCount} row(s)` : `failed with ${r.code}: ${r.message}`);
/** 42501 is both "permission denied" and "new row violates row-level security policy". */
const refused = (r: Attempt) => !r.ok && r.code === '42501';

function listing(title: string, problems: string[]): string {
  return `${title}:\n  ${problems.join('\n  ')}`;
}

/** Runs one probe per tenant table as workspace A; collects the tables where it went wrong. */
async function probeEachTableAsA(probe: (client: pg.PoolClient, t: TenantTable) => Promise<string | null>) {
  return asAppRole(db.owner, { workspaceId: A, endUserAdmin: true }, async (client) => {
    const problems: string[] = [];
    for (const t of tables) {
      const problem = await probe(client, t);
      if (problem) problems.push(`${t.table}: ${problem}`);
    }
    return problems;
  });
}

/**
 * One of B's rows with a fresh primary key and fresh values in its unique
 * columns, so that only row-level security has a reason to refuse inserting it.
 */
async function freshCopyOfBRow(t: TenantTable): Promise<Record<string, unknown>> {
  const row = { ...(bBefore[t.table]![0] as Record<string, unknown>) };
  const { rows: columns } = await db.owner.query<{ column: string; type: string; unique: boolean; foreign: boolean }>(
    `SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND a.attnum = ANY (i.indkey)) AS unique,
            EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = a.attrelid AND f.contype = 'f' AND a.attnum = ANY (f.conkey)) AS foreign
     FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [from(t)],
  );
  for (const c of columns) {
    const isKey = t.primaryKey.includes(c.column) || (c.unique && !c.foreign && c.column !== t.tenantColumn);
    if (!isKey) continue;
    if (c.type === 'uuid') row[c.column] = randomUUID();
    else if (c.type === 'text' || c.type.startsWith('character varying')) row[c.column] = `z${randomBytes(8).toString('hex')}`;
  }
  // The tenant root's tenant column is its primary key: the copy is then a brand-new tenant, still not A.
  if (!t.primaryKey.includes(t.tenantColumn)) row[t.tenantColumn] = B;
  return row;
}

beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedTwoWorkspaces();
  A = seed.a.workspace.id;
  B = seed.b.workspace.id;
  tables = await tenantTables(db.owner);
  bBefore = await snapshotWorkspaceRows(db.owner, tables, B);
});
afterAll(async () => db.stop());

describe('isolation (b): rows of another workspace', () => {
  it('has seeded rows of both workspaces in every tenant table', async () => {
    expect(tables.length).toBeGreaterThan(1);
    const aRows = await snapshotWorkspaceRows(db.owner, tables, A);
    const missing = [...new Set([...unseededTables(aRows), ...unseededTables(bBefore)])];
    expect(
      missing,
      listing('Tenant tables the seed leaves empty; extend seedTenant() in server/testing/two-workspaces.ts', missing),
    ).toEqual([]);
  });

  it('cannot read B: filtering for B finds nothing and an unfiltered read returns exactly A\'s rows', async () => {
    const aRows = await snapshotWorkspaceRows(db.owner, tables, A);
    const problems = await probeEachTableAsA(async (client, t) => {
      // Only the tenant column: some tables keep columns (ciphertext) from the app role.
      const forB = await client.query(`SELECT ${col(t)} FROM ${from(t)} WHERE ${col(t)} = $1`, [B]);
      if (forB.rowCount) return `SELECT for B returned ${forB.rowCount} row(s)`;
      const all = await client.query<{ tenant: string; n: number }>(
        `SELECT ${col(t)}::text AS tenant, count(*)::int AS n FROM ${from(t)} GROUP BY 1`,
      );
      const expected = [{ tenant: A, n: aRows[t.table]!.length }];
      return JSON.stringify(all.rows) === JSON.stringify(expected)
        ? null
        : `unfiltered SELECT returned ${JSON.stringify(all.rows)}, expected ${JSON.stringify(expected)}`;
    });
    expect(problems, listing('Workspace A can read B', problems)).toEqual([]);
  });

  it('cannot update B\'s rows', async () => {
    const problems = await probeEachTableAsA(async (client, t) => {
      const r = await attempt(client, `UPDATE ${from(t)} SET ${col(t)} = ${col(t)} WHERE ${col(t)} = $1`, [B]);
      return (r.ok && r.rowCount === 0) || refused(r) ? null : `UPDATE of B's rows ${describeAttempt(r)}`;
    });
    expect(problems, listing('Workspace A can update B', problems)).toEqual([]);
  });

  it('cannot delete B\'s rows', async () => {
    const problems = await probeEachTableAsA(async (client, t) => {
      const r = await attempt(client, `DELETE FROM ${from(t)} WHERE ${col(t)} = $1`, [B]);
      return (r.ok && r.rowCount === 0) || refused(r) ? null : `DELETE of B's rows ${describeAttempt(r)}`;
    });
    expect(problems, listing('Workspace A can delete from B', problems)).toEqual([]);
  });

  it('cannot insert a row into B', async () => {
    const copies = new Map<string, Record<string, unknown>>();
    for (const t of tables) copies.set(t.table, await freshCopyOfBRow(t));
    // Generated columns (a tsvector, say) take no value; every other column is copied.
    const { rows: writable } = await db.owner.query<{ table: string; columns: string[] }>(`
      SELECT c.relname AS table, array_agg(quote_ident(a.attname) ORDER BY a.attnum) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = 'public' GROUP BY c.relname`);
    const columnsOf = (t: TenantTable) => writable.find((w) => w.table === t.table)!.columns.join(', ');
    const problems = await probeEachTableAsA(async (client, t) => {
      const r = await attempt(
        client,
        `INSERT INTO ${from(t)} (${columnsOf(t)}) SELECT ${columnsOf(t)} FROM jsonb_populate_record(NULL::${from(t)}, $1::jsonb)`,
        [JSON.stringify(copies.get(t.table))],
      );
      return refused(r) ? null : `INSERT of a copy of B's row ${describeAttempt(r)}; expected an RLS violation (42501)`;
    });
    expect(problems, listing('Workspace A can insert into B', problems)).toEqual([]);
  });

  it('cannot move its own rows into B', async () => {
    const problems = await probeEachTableAsA(async (client, t) => {
      const r = await attempt(client, `UPDATE ${from(t)} SET ${col(t)} = $2 WHERE ${col(t)} = $1`, [A, B]);
      return refused(r) ? null : `UPDATE moving A's rows to B ${describeAttempt(r)}; expected an RLS violation (42501)`;
    });
    expect(problems, listing('Workspace A can hand rows to B', problems)).toEqual([]);
  });

  it('sees no tenant rows at all when no workspace is set', async () => {
    const problems: string[] = [];
    for (const [label, workspaceId] of [['unset', undefined], ['empty', '']] as const) {
      await asAppRole(db.owner, { workspaceId }, async (client) => {
        for (const t of tables) {
          const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from(t)}`);
          if (rows[0]!.n !== 0) problems.push(`${t.table}: ${rows[0]!.n} row(s) visible with app.workspace_id ${label}`);
        }
      });
    }
    expect(problems, listing('Tenant rows visible without a workspace', problems)).toEqual([]);
  });

  it("exposes nothing of B through A's other read paths (signed-in user, invitation token)", async () => {
    const problems: string[] = [];
    const paths = [
      ['app.user_id of A\'s owner', { userId: seed.a.owner.id }],
      ['app.invite_token of A\'s invitation', { inviteTokenHash: hashInvitationToken(seed.a.pendingInvitation.token) }],
    ] as const;
    for (const [label, settings] of paths) {
      await asAppRole(db.owner, settings, async (client) => {
        for (const t of tables) {
          const { rows } = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${from(t)} WHERE ${col(t)} IS DISTINCT FROM $1`,
            [A],
          );
          if (rows[0]!.n !== 0) problems.push(`${t.table}: ${rows[0]!.n} row(s) of other workspaces visible with ${label}`);
        }
      });
    }
    expect(problems, listing('Rows of other workspaces visible', problems)).toEqual([]);
  });

  it('leaves every row of B exactly as it was', async () => {
    expect(await snapshotWorkspaceRows(db.owner, tables, B)).toEqual(bBefore);
  });
});
