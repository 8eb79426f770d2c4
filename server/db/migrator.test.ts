// The migrator applies each migration once, in order, and refuses to run when
// an applied migration's file was edited afterwards.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { migrate, readMigrations } from './migrator';
import { createOwnerPool } from './owner-pool';
import type pg from 'pg';

let embedded: EmbeddedPostgres;
let pool: pg.Pool;
let dir: string;

async function writeMigration(name: string, sql: string) {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({});
  pool = createOwnerPool(embedded.url);
  dir = await mkdtemp(path.join(tmpdir(), 'enclave-migrations-'));
});
afterAll(async () => {
  await pool.end();
  await embedded.stop();
});

describe('migrator', () => {
  it('applies pending migrations in order, once', async () => {
    await writeMigration('0001_first', 'CREATE TABLE first (id int);');
    await writeMigration('0002_second', 'INSERT INTO first VALUES (1);');
    expect(await migrate(pool, await readMigrations(dir))).toEqual({
      applied: ['0001_first', '0002_second'],
      alreadyApplied: 0,
    });
    expect(await migrate(pool, await readMigrations(dir))).toEqual({ applied: [], alreadyApplied: 2 });
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM first');
    expect(rows[0].n).toBe(1);
  });

  it('rolls back a failing migration completely', async () => {
    await writeMigration('0003_broken', 'INSERT INTO first VALUES (2); SELECT no_such_function();');
    await expect(migrate(pool, await readMigrations(dir))).rejects.toThrow(/0003_broken failed/);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM first');
    expect(rows[0].n).toBe(1);
    const applied = await pool.query("SELECT 1 FROM _enclave_migrations WHERE name = '0003_broken'");
    expect(applied.rowCount).toBe(0);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await writeMigration('0003_broken', 'SELECT 1;');
    await writeMigration('0001_first', 'CREATE TABLE first (id int, extra text);');
    await expect(migrate(pool, await readMigrations(dir))).rejects.toThrow(/0001_first was edited/);
  });

  it('rejects folders that do not follow NNNN_name', async () => {
    await mkdir(path.join(dir, 'oops'), { recursive: true });
    await expect(readMigrations(dir)).rejects.toThrow(/NNNN_snake_case/);
  });

  it('reads the project migrations in order', async () => {
    const names = (await readMigrations()).map((m) => m.name);
    expect(names[0]).toBe('0001_foundation');
    expect([...names].sort()).toEqual(names);
  });
});
