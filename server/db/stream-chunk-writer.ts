// The streaming hot path: one statement, one round trip per chunk.
// append_run_stream_chunk() (migration 0012) takes the app role and the workspace
// transaction-locally for its own implicit transaction and inserts under the
// run_stream_chunks policy, only while the caller holds the run's lease — the
// tenant guarantee of withWorkspace() without its round trips
// (server/db/statement-pool.ts).
import { NotFound } from '../domain-errors';
import { callStatement } from './statement-pool';
import { storableText } from './storable-text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const rows = await callStatement<{ appended: boolean }>('append_run_stream_chunk', APPEND, [
    row.workspaceId,
    row.runId,
    row.workerId,
    row.attempt,
    row.stepIndex,
    row.seq,
    storableText(row.text),
  ]);
  return rows[0]?.appended === true;
}
