// The pool for one-statement tenant functions (record_usage_event, claim_next_run,
// write_run_step, finish_run): each call is a single statement in its own
// implicit transaction, in which the function takes the app role and its tenant
// context transaction-locally. Nothing else is sent on these connections.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { env } from '../env';

const holder = globalThis as unknown as { enclaveStatementPool?: { url: string; pool: pg.Pool } };

function pool(): pg.Pool {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app through server/main.ts, which starts the database');
  if (holder.enclaveStatementPool?.url !== url) {
    const created = new pg.Pool({ connectionString: url, max: 4 });
    // A connection that dies (database restart), idle or in use, must not crash the process: the call in flight fails instead.
    created.on('error', () => undefined);
    created.on('connect', (client) => client.on('error', () => undefined));
    holder.enclaveStatementPool = { url, pool: created };
  }
  return holder.enclaveStatementPool.pool;
}

type NamedClient = pg.PoolClient & { statementNames?: Map<string, string> };

/**
 * Runs one function call as a named statement: each connection parses and plans
 * it once. Names are unique per connection because the embedded database has
 * one session for every connection (of this process and of worker processes),
 * so a shared name would collide.
 */
export async function callStatement<R extends pg.QueryResultRow>(key: string, text: string, values: unknown[]): Promise<R[]> {
  const client: NamedClient = await pool().connect();
  client.statementNames ??= new Map();
  let name = client.statementNames.get(key);
  if (!name) {
    name = `${key}_${randomBytes(6).toString('hex')}`;
    client.statementNames.set(key, name);
  }
  try {
    const result = await client.query<R>({ name, text, values });
    client.release();
    return result.rows;
  } catch (error) {
    // After an error the connection's state is not trusted: it is discarded.
    client.release(error as Error);
    throw error;
  }
}

export async function closeStatementPool(): Promise<void> {
  const current = holder.enclaveStatementPool;
  holder.enclaveStatementPool = undefined;
  await current?.pool.end();
}
