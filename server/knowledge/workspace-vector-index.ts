// A workspace's own HNSW index, built once it holds more chunks of a dimension
// than KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS (migration 0021): its nearest rows are the
// workspace's nearest rows, so search keeps full recall at index speed. Built by
// the ingestion worker after a document is ready and dropped with the workspace,
// each as one statement on the statement pool (no transaction held around it).
import { NotFound } from '../domain-errors';
import { env } from '../env';
import { callStatement } from '../db/statement-pool';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type VectorIndexOutcome = 'built' | 'exists' | 'below' | 'unindexed';

const ENSURE = 'SELECT ensure_workspace_vector_index($1, $2, $3) AS outcome';

/** Builds the workspace's index of that dimension when it has crossed the threshold and has none yet. */
export async function ensureWorkspaceVectorIndex(workspaceId: string, dimension: number): Promise<VectorIndexOutcome> {
  if (!UUID.test(workspaceId)) throw new NotFound('Workspace not found');
  const rows = await callStatement<{ outcome: VectorIndexOutcome }>('ensure_workspace_vector_index', ENSURE, [
    workspaceId,
    dimension,
    env().KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS,
  ]);
  return rows[0]!.outcome;
}

const DROP = 'SELECT drop_workspace_vector_indexes($1) AS dropped';

/** Drops every index of the workspace (workspace deletion); search falls back to the exact scan. */
export async function dropWorkspaceVectorIndexes(workspaceId: string): Promise<number> {
  if (!UUID.test(workspaceId)) throw new NotFound('Workspace not found');
  const rows = await callStatement<{ dropped: number }>('drop_workspace_vector_indexes', DROP, [workspaceId]);
  return rows[0]!.dropped;
}
