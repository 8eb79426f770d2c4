// The streaming hot path: one statement, one round trip per chunk.
// append_run_stream_chunk() (migration 0012) takes the app role and the workspace
// transaction-locally for its own implicit transaction and inserts under the
// run_stream_chunks policy, only while the caller holds the run's lease — the
// tenant guarantee of withWorkspace() without its four round trips. This pool
// can call nothing else.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { env } from '../env';
import { NotFound } from '../domain-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const holder = globalThis as unknown as { enclaveStreamPool?: { url: string; pool: pg.Pool } };

function pool(): pg.Pool {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app through server/main.ts, which starts the database');
  if (holder.enclaveStreamPool?.url !== url) {
    const created = new pg.Pool({ connectionString: url, max: 2 });
    // An idle connection that dies (database restart) must not crash the process.
    created.on('error', () => undefined);
    holder.enclaveStreamPool = { url, pool: created };
  }
  return holder.enclaveStreamPool.pool;
}

export type StreamChunkRow = {
  workspaceId: string;
  runId: string;
  /** The worker that must hold the run's lease for the chunk to be written. */
  workerId: string;
  attempt: number;
  stepIndex: number;
  seq: number;
  text: string;
};

const APPEND = 'SELECT append_run_stream_chunk($1, $2, $3, $4, $5, $6, $7) AS appended';

/** True when the chunk was added; false when the lease is not the caller's (or the chunk was already there). */
export async function insertStreamChunk(row: StreamChunkRow): Promise<boolean> {
  if (!UUID.test(row.workspaceId) || !UUID.test(row.runId)) throw new NotFound('Run not found');
  const client = await pool().connect();
  // Named per connection, as in usage-event-writer.ts: the embedded database shares one session across connections.
  const statements = client as pg.PoolClient & { streamStatementName?: string };
  statements.streamStatementName ??= `append_run_stream_chunk_${randomBytes(6).toString('hex')}`;
  try {
    const result = await client.query<{ appended: boolean }>({
      name: statements.streamStatementName,
      text: APPEND,
      values: [row.workspaceId, row.runId, row.workerId, row.attempt, row.stepIndex, row.seq, row.text],
    });
    return result.rows[0]?.appended === true;
  } finally {
    client.release();
  }
}

export async function closeStreamChunkWriter(): Promise<void> {
  const current = holder.enclaveStreamPool;
  holder.enclaveStreamPool = undefined;
  await current?.pool.end();
}
