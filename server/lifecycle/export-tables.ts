// What a workspace export contains, discovered from the catalog rather than a
// list: every table in schema public with a workspace_id column, plus the
// workspaces row itself. Columns the app role may not read (the vault's
// ciphertexts) and the columns in SECRET_COLUMNS are left out, so no secret
// value or key material is ever exported.
import { Prisma } from '../db/generated/client';
import type { Tx } from '../db/with-workspace';

export const TENANT_ROOT = 'workspaces';

/** Secret values the app role can read for its own work, but that never leave in an export. */
export const SECRET_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  workspace_keys: ['wrapped_key', 'iv', 'tag'],
  secrets: ['ciphertext', 'iv', 'tag'],
  // Earlier archives: an export never contains exports.
  workspace_exports: ['archive'],
};

export type ExportTable = { table: string; tenantColumn: string; columns: string[]; omitted: string[]; orderBy: string[] };

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Unexpected identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export async function exportTables(tx: Tx): Promise<ExportTable[]> {
  const rows = await tx.$queryRaw<{ table: string; columns: string[]; readable: boolean[]; primary_key: string[] | null; has_workspace_id: boolean }[]>`
    SELECT c.relname::text AS table,
           array_agg(a.attname::text ORDER BY a.attnum) AS columns,
           array_agg(has_column_privilege(c.oid, a.attnum, 'SELECT') ORDER BY a.attnum) AS readable,
           (SELECT array_agg(pa.attname::text ORDER BY k.ord)
            FROM pg_constraint pk
            CROSS JOIN LATERAL unnest(pk.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute pa ON pa.attrelid = c.oid AND pa.attnum = k.attnum
            WHERE pk.conrelid = c.oid AND pk.contype = 'p') AS primary_key,
           bool_or(a.attname = 'workspace_id') AS has_workspace_id
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    GROUP BY c.oid, c.relname
    ORDER BY c.relname`;
  return rows
    .filter((r) => r.has_workspace_id || r.table === TENANT_ROOT)
    .map((r) => {
      const secret = new Set(SECRET_COLUMNS[r.table] ?? []);
      const columns = r.columns.filter((col, i) => r.readable[i] && !secret.has(col));
      const omitted = r.columns.filter((col) => !columns.includes(col));
      return {
        table: r.table,
        tenantColumn: r.has_workspace_id ? 'workspace_id' : 'id',
        columns,
        omitted,
        orderBy: r.primary_key?.length ? r.primary_key : columns.slice(0, 1),
      };
    });
}

/** One page of a table's rows of the transaction's workspace, as NDJSON lines. */
export async function exportTableRows(tx: Tx, table: ExportTable, workspaceId: string, offset: number, limit: number): Promise<string[]> {
  const select = table.columns.map(quoteIdent).join(', ');
  const order = table.orderBy.map(quoteIdent).join(', ');
  // Identifiers come from the catalog and pass quoteIdent(); values are parameters.
  const rows = await tx.$queryRaw<{ line: string }[]>(Prisma.sql`
    SELECT to_jsonb(x)::text AS line FROM (
      SELECT ${Prisma.raw(select)} FROM public.${Prisma.raw(quoteIdent(table.table))}
      WHERE ${Prisma.raw(quoteIdent(table.tenantColumn))} = ${workspaceId}::uuid
      ORDER BY ${Prisma.raw(order)} OFFSET ${offset} LIMIT ${limit}) x`);
  return rows.map((r) => r.line);
}
