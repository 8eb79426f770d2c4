// Applies prisma/migrations/<NNNN_name>/migration.sql in order, each in its own
// transaction, recording a checksum; refuses to run when an applied migration's
// file has since been edited, so every database has exactly the history on disk.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationReport = { applied: string[]; alreadyApplied: number };

export const MIGRATIONS_DIR = path.join(process.cwd(), 'prisma', 'migrations');
const MIGRATION_NAME = /^\d{4}_[a-z0-9_]+$/;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const bad = names.filter((n) => !MIGRATION_NAME.test(n));
  if (bad.length) throw new Error(`Migration folders must be named NNNN_snake_case: ${bad.join(', ')}`);
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export async function migrate(pool: pg.Pool, migrations?: Migration[]): Promise<MigrationReport> {
  const all = migrations ?? (await readMigrations());
  const client = await pool.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS _enclave_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    // Two processes starting at once must not apply the same migration twice.
    await client.query('SELECT pg_advisory_lock(7408321)');
    try {
      const { rows } = await client.query<{ name: string; checksum: string }>(
        'SELECT name, checksum FROM _enclave_migrations ORDER BY name',
      );
      const onDisk = new Map(all.map((m) => [m.name, m]));
      for (const row of rows) {
        const file = onDisk.get(row.name);
        if (!file) throw new Error(`Migration ${row.name} is applied but missing from ${MIGRATIONS_DIR}`);
        if (file.checksum !== row.checksum) {
          throw new Error(`Migration ${row.name} was edited after it was applied; add a new migration instead`);
        }
      }
      const done = new Set(rows.map((r) => r.name));
      const applied: string[] = [];
      for (const migration of all.filter((m) => !done.has(m.name))) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO _enclave_migrations (name, checksum) VALUES ($1, $2)', [
            migration.name,
            migration.checksum,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.name);
      }
      return { applied, alreadyApplied: rows.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock(7408321)');
    }
  } finally {
    client.release();
  }
}
