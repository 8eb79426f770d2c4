// The pool for pipelined tenant reads (readInWorkspace() in with-workspace.ts):
// pg in pipeline mode writes a transaction's statements without waiting for each
// answer, so BEGIN, the tenant settings, the reads and COMMIT take one round trip.
// Nothing else is sent on these connections.
import pg from 'pg';
import { env } from '../env';

const holder = globalThis as unknown as { enclaveReadPool?: { url: string; pool: pg.Pool } };

export function readPool(): pg.Pool {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app through server/main.ts, which starts the database');
  if (holder.enclaveReadPool?.url !== url) {
    const created = new pg.Pool({
      connectionString: url,
      // A read holds its connection for one round trip; the embedded database's gate admits 64 connections from all processes together.
      max: 2,
      pipeline: true,
      // Prisma's limits for withWorkspace(): 20 s to get a connection, 60 s for the transaction (past it the connection is destroyed).
      connectionTimeoutMillis: 20_000,
      query_timeout: 60_000,
      idle_in_transaction_session_timeout: env().ENCLAVE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    } as pg.PoolConfig);
    // A connection that dies (database restart), idle or in use, must not crash the process: the read in flight fails instead.
    created.on('error', () => undefined);
    created.on('connect', (client) => client.on('error', () => undefined));
    holder.enclaveReadPool = { url, pool: created };
  }
  return holder.enclaveReadPool.pool;
}

export async function closeReadPool(): Promise<void> {
  const current = holder.enclaveReadPool;
  holder.enclaveReadPool = undefined;
  await current?.pool.end();
}
