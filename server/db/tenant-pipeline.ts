// One tenant statement in one round trip, for hot paths (metering): BEGIN, the
// same transaction-local role and workspace settings as withWorkspace(), the
// statement with bind parameters, COMMIT — sent pipelined on a raw pg
// connection. The tenant guarantee is the same: set per transaction, never per
// session, and a connection that saw an error is discarded, not reused.
import pg from 'pg';
import { env } from '../env';
import { NotFound } from '../domain-errors';
import { APP_ROLE } from './with-workspace';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const holder = globalThis as unknown as { enclavePipelinePool?: { url: string; pool: pg.Pool } };

function pool(): pg.Pool {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app through server/main.ts, which starts the database');
  if (holder.enclavePipelinePool?.url !== url) {
    const created = new pg.Pool({ connectionString: url, max: 4, pipeline: true });
    // An idle connection that dies (database restart) must not crash the process.
    created.on('error', () => undefined);
    holder.enclavePipelinePool = { url, pool: created };
  }
  return holder.enclavePipelinePool.pool;
}

/** A statement written in SQL with $n parameters; never built from strings. */
export type TenantStatement = { text: string; values: unknown[] };

/** Runs `statement` in its own transaction as the app role inside `workspaceId`; returns its rows. */
export async function runInWorkspacePipelined<Row extends pg.QueryResultRow>(
  workspaceId: string,
  statement: TenantStatement,
): Promise<Row[]> {
  if (!UUID.test(workspaceId)) throw new NotFound('Workspace not found');
  const client = await pool().connect();
  try {
    const [, , result] = await Promise.all([
      client.query('BEGIN'),
      client.query("SELECT set_config('role', $1, true), set_config('app.workspace_id', $2, true)", [APP_ROLE, workspaceId]),
      client.query<Row>(statement.text, statement.values),
      client.query('COMMIT'),
    ]);
    client.release();
    return result.rows;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

export async function closeTenantPipeline(): Promise<void> {
  const current = holder.enclavePipelinePool;
  holder.enclavePipelinePool = undefined;
  await current?.pool.end();
}
