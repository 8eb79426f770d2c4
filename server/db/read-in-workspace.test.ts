// readInWorkspace(): the pipelined read path sees exactly what withWorkspace()
// sees (same role, same settings) in every tenant table, cannot write, leaves
// nothing behind on its connection, and fails whole on an error.
import { Prisma } from './generated/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent, tenantTables, type TenantTable } from '../testing/tenant-tables';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces } from '../testing/two-workspaces';
import { readPool } from './read-pool';
import { readInWorkspace, withWorkspace } from './with-workspace';

let db: TestDatabase;
let tables: TenantTable[];
let A: string;
let B: string;

const countsSql = (tables: TenantTable[], tenant: string) =>
  tables.map((t) =>
    Prisma.sql`SELECT ${t.table} AS "table", count(*)::int AS rows, count(*) FILTER (WHERE ${Prisma.raw(quoteIdent(t.tenantColumn))} = ${tenant}::uuid)::int AS tenant_rows FROM ${Prisma.raw(`public.${quoteIdent(t.table)}`)}`,
  );

beforeAll(async () => {
  db = await createTestDatabase();
  const seed = await seedTwoWorkspaces();
  A = seed.a.workspace.id;
  B = seed.b.workspace.id;
  tables = await tenantTables(db.owner);
});
afterAll(async () => db.stop());

describe('readInWorkspace', () => {
  it("reads every tenant table exactly as withWorkspace() does: A's rows, none of B's", async () => {
    const pipelined = await readInWorkspace(A, countsSql(tables, B));
    const interactive = await withWorkspace(A, async (tx) => {
      const out: unknown[] = [];
      for (const statement of countsSql(tables, B)) out.push(...(await tx.$queryRaw<unknown[]>(statement)));
      return out;
    });
    expect(pipelined.map((rows) => rows[0])).toEqual(interactive);
    expect(pipelined.every((rows) => rows[0]!.tenant_rows === 0)).toBe(true);
    const visible = await readInWorkspace(A, countsSql(tables, A));
    expect(visible.filter((rows) => (rows[0]!.rows as number) > 0).length).toBeGreaterThan(tables.length / 2);
    expect(visible.every((rows) => rows[0]!.rows === rows[0]!.tenant_rows)).toBe(true);
  });

  it('cannot write: the transaction is read-only, and nothing is stored', async () => {
    const before = await db.owner.query(`SELECT name FROM workspaces WHERE id = $1`, [A]);
    await expect(readInWorkspace(A, [Prisma.sql`UPDATE workspaces SET name = 'changed' WHERE id = ${A}::uuid`])).rejects.toMatchObject({ code: '25006' });
    expect((await db.owner.query(`SELECT name FROM workspaces WHERE id = $1`, [A])).rows).toEqual(before.rows);
  });

  it('fails whole on an error, and the next read works on a clean connection', async () => {
    await expect(readInWorkspace(A, [Prisma.sql`SELECT 1`, Prisma.sql`SELECT 1 / 0`, Prisma.sql`SELECT 2`])).rejects.toMatchObject({ code: '22012' });
    const [rows] = await readInWorkspace(A, [Prisma.sql`SELECT current_setting('app.workspace_id') AS ws`]);
    expect(rows).toEqual([{ ws: A }]);
  });

  it('leaves neither the role nor the workspace on its connections afterwards', async () => {
    await readInWorkspace(A, [Prisma.sql`SELECT 1`]);
    const clients = await Promise.all([readPool().connect(), readPool().connect()]);
    try {
      for (const client of clients) {
        const { rows } = await client.query(`SELECT current_user AS who, coalesce(current_setting('app.workspace_id', true), '') AS ws`);
        expect(rows[0].ws).toBe('');
        expect(rows[0].who).not.toBe('enclave_app');
      }
    } finally {
      for (const client of clients) client.release();
    }
  });

  it('refuses a malformed workspace id as not found, before reaching the database', async () => {
    await expect(readInWorkspace('not-a-uuid', [Prisma.sql`SELECT 1`])).rejects.toThrow(/not found/i);
  });
});
