// Long-term memory of one end user with one agent: items saved as text with an
// embedding made through the gateway's embedding route (metered against the run),
// recalled by an exact cosine scan of that end user's items inside withEndUser(),
// so recall can never reach another end user's or workspace's memory.
import { withEndUser } from '../db/with-workspace';
import { InvalidInput } from '../domain-errors';
import type { Gateway } from '../llm/gateway';

export const MEMORY_TEXT_MAX_CHARS = 2_000;
export const MEMORY_RECALL_MAX = 20;

export type MemoryScope = {
  workspaceId: string;
  agentId: string;
  endUserId: string;
  runId: string | null;
  /** The run step the embedding belongs to (the ledger's key), if any. */
  stepIndex: number | null;
  signal?: AbortSignal;
};

export type RecalledMemory = { id: string; text: string; similarity: number; createdAt: Date };

async function embedOne(gateway: Gateway, scope: MemoryScope, text: string): Promise<{ model: string; vector: number[] }> {
  const result = await gateway.embed({
    workspaceId: scope.workspaceId,
    runId: scope.runId,
    stepIndex: scope.stepIndex,
    attempt: scope.stepIndex != null ? 1 : null,
    agentId: scope.agentId,
    signal: scope.signal,
    texts: [text],
  });
  const vector = result.embeddings[0] ?? [];
  if (!vector.length || vector.some((x) => !Number.isFinite(x))) throw new InvalidInput('The embedding model returned no usable vector.', 'text');
  return { model: result.model, vector };
}

export async function saveMemory(gateway: Gateway, scope: MemoryScope, text: string): Promise<{ id: string; text: string }> {
  const clean = text.trim();
  if (!clean) throw new InvalidInput('A memory needs some text.', 'text');
  if (clean.length > MEMORY_TEXT_MAX_CHARS) throw new InvalidInput(`A memory is at most ${MEMORY_TEXT_MAX_CHARS} characters.`, 'text');
  const { model, vector } = await embedOne(gateway, scope, clean);
  const saved = await withEndUser(scope.workspaceId, scope.endUserId, async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string; text: string }[]>`
      INSERT INTO memory_items (workspace_id, agent_id, end_user_id, text, embedding_model, dimension, embedding, source_run_id, source_step_index)
      VALUES (${scope.workspaceId}::uuid, ${scope.agentId}::uuid, ${scope.endUserId}, ${clean}, ${model}, ${vector.length},
              ${JSON.stringify(vector)}::vector, ${scope.runId}::uuid, ${scope.stepIndex})
      ON CONFLICT (workspace_id, source_run_id, source_step_index) DO NOTHING
      RETURNING id, text`;
    if (row) return row;
    // This run step saved before (the step is being redone): return what it saved.
    const [earlier] = await tx.$queryRaw<{ id: string; text: string }[]>`
      SELECT id, text FROM memory_items
      WHERE workspace_id = ${scope.workspaceId}::uuid AND source_run_id = ${scope.runId}::uuid AND source_step_index = ${scope.stepIndex}`;
    return earlier!;
  });
  return { id: saved.id, text: saved.text };
}

/** The end user's items closest to the query, embedded with the same model (items of another model are skipped). */
export async function recallMemories(gateway: Gateway, scope: MemoryScope, query: string, limit: number): Promise<RecalledMemory[]> {
  const clean = query.trim();
  if (!clean) throw new InvalidInput('Say what to recall.', 'query');
  const take = Math.min(MEMORY_RECALL_MAX, Math.max(1, Math.floor(limit)));
  const held = await withEndUser(scope.workspaceId, scope.endUserId, (tx) =>
    tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM memory_items
      WHERE workspace_id = ${scope.workspaceId}::uuid AND end_user_id = ${scope.endUserId} AND agent_id = ${scope.agentId}::uuid`,
  );
  // Nothing to recall: no embedding call, nothing metered.
  if (!held[0]?.n) return [];
  const { model, vector } = await embedOne(gateway, scope, clean.slice(0, MEMORY_TEXT_MAX_CHARS));
  const rows = await withEndUser(scope.workspaceId, scope.endUserId, (tx) =>
    tx.$queryRaw<{ id: string; text: string; distance: number; created_at: Date }[]>`
      SELECT id, text, (embedding <=> ${JSON.stringify(vector)}::vector)::float8 AS distance, created_at
      FROM memory_items
      WHERE workspace_id = ${scope.workspaceId}::uuid AND end_user_id = ${scope.endUserId} AND agent_id = ${scope.agentId}::uuid
        AND embedding_model = ${model} AND dimension = ${vector.length}
      ORDER BY distance, created_at DESC
      LIMIT ${take}`,
  );
  return rows.map((r) => ({ id: r.id, text: r.text, similarity: Number.isFinite(r.distance) ? 1 - r.distance : 0, createdAt: r.created_at }));
}
