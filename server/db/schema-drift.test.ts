// schema.prisma matches the migrated database: the SQL migrations are the source
// of truth, and the typed client is generated from schema.prisma, so every model,
// column, nullability, type and enum must agree in both directions — otherwise
// the client compiles against tables that do not exist as described.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnFields, expectedSqlType, parsePrismaSchema, type PrismaSchema } from '../testing/prisma-schema';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

/** Bookkeeping of the migrator itself; deliberately not in the Prisma client. */
const MIGRATOR_TABLE = '_enclave_migrations';

type DbColumn = { table: string; column: string; type: string; nullable: boolean };

let db: TestDatabase;
let schema: PrismaSchema;
let columns: DbColumn[];

async function readColumns(): Promise<DbColumn[]> {
  const { rows } = await db.owner.query<DbColumn>(`
    SELECT c.relname AS table, a.attname AS column,
           format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    ORDER BY c.relname, a.attnum`);
  return rows;
}

function report(title: string, problems: string[]): string {
  return `${title} (fix the migration or schema.prisma so they agree):\n  ${problems.join('\n  ')}`;
}

beforeAll(async () => {
  db = await createTestDatabase();
  schema = parsePrismaSchema(await readFile(path.join(process.cwd(), 'prisma', 'schema.prisma'), 'utf8'));
  columns = await readColumns();
});
afterAll(async () => db.stop());

describe('schema.prisma matches the migrated database', () => {
  it('parses models with columns from schema.prisma', () => {
    expect(schema.models.length).toBeGreaterThan(0);
    const empty = schema.models.filter((m) => columnFields(m).length === 0).map((m) => m.name);
    expect(empty, 'models without a single column field: the parser probably misread them').toEqual([]);
  });

  it('has a table for every model', () => {
    const tables = new Set(columns.map((c) => c.table));
    const missing = schema.models.filter((m) => !tables.has(m.table)).map((m) => `model ${m.name} → table ${m.table}`);
    expect(missing, report('Models without a table', missing)).toEqual([]);
  });

  it('has a column with the same nullability and type for every scalar field', () => {
    const problems: string[] = [];
    for (const model of schema.models) {
      for (const field of columnFields(model)) {
        const where = `${model.name}.${field.name} (${model.table}.${field.column})`;
        const column = columns.find((c) => c.table === model.table && c.column === field.column);
        if (!column) {
          problems.push(`${where}: no such column`);
          continue;
        }
        if (column.nullable !== field.optional) {
          problems.push(`${where}: schema.prisma says ${field.optional ? 'optional' : 'required'}, ` +
            `the column is ${column.nullable ? 'NULL' : 'NOT NULL'}`);
        }
        const expected = expectedSqlType(field, schema);
        if (column.type !== expected) problems.push(`${where}: expected type ${expected}, the column is ${column.type}`);
      }
    }
    expect(problems, report('Fields that disagree with their columns', problems)).toEqual([]);
  });

  it('describes every column of a mapped table with a field', () => {
    const problems: string[] = [];
    for (const model of schema.models) {
      const described = new Set(columnFields(model).map((f) => f.column));
      for (const column of columns.filter((c) => c.table === model.table && !described.has(c.column))) {
        problems.push(`${model.table}.${column.column} (${column.type}) has no field in model ${model.name}`);
      }
    }
    expect(problems, report('Columns missing from schema.prisma', problems)).toEqual([]);
  });

  it('describes every table in schema public with a model', () => {
    const modelled = new Set(schema.models.map((m) => m.table));
    const tables = [...new Set(columns.map((c) => c.table))];
    const orphans = tables.filter((t) => t !== MIGRATOR_TABLE && !modelled.has(t));
    expect(orphans, report('Tables without a model', orphans)).toEqual([]);
  });

  it('has a Postgres enum with the same values for every Prisma enum', async () => {
    const problems: string[] = [];
    for (const prismaEnum of schema.enums) {
      const { rows } = await db.owner.query<{ label: string }>(
        `SELECT e.enumlabel AS label FROM pg_enum e
         JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typname = $1 ORDER BY e.enumsortorder`,
        [prismaEnum.dbName],
      );
      const labels = rows.map((r) => r.label);
      if (labels.join(',') !== prismaEnum.values.join(',')) {
        problems.push(`enum ${prismaEnum.name} (${prismaEnum.dbName}): schema.prisma has [${prismaEnum.values}], ` +
          `the database has [${labels}]`);
      }
    }
    expect(problems, report('Enums that disagree', problems)).toEqual([]);
  });
});
