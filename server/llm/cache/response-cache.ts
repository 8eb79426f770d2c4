// The response cache's store: final answers of agent versions with the cache on,
// read back by exact key or by the question's embedding (cosine similarity at or
// above the version's threshold), never past their TTL. Every query names the
// whole scope (workspace, agent version, model, context fingerprint, end user) and
// runs under the workspace's RLS policy, so an entry is never served across them.
import type { Tx } from '../../db/with-workspace';
import type { CacheRequest, CacheScope } from './cache-key';

export type QuestionEmbedding = { model: string; vector: number[] };

export type CachedAnswer = {
  entryId: string;
  answer: string;
  provider: string;
  responseModel: string;
  sourceRunId: string;
  match: 'exact' | 'semantic';
  /** 1 for an exact match; the cosine similarity for a semantic one. */
  similarity: number;
};

type EntryRow = { id: string; answer: string; provider: string; response_model: string; source_run_id: string; similarity: number };

function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;
}

function answerOf(row: EntryRow, match: CachedAnswer['match']): CachedAnswer {
  return {
    entryId: row.id,
    answer: row.answer,
    provider: row.provider,
    responseModel: row.response_model,
    sourceRunId: row.source_run_id,
    match,
    similarity: match === 'exact' ? 1 : Number(row.similarity),
  };
}

/** The live entry for exactly this request, if any (the newest when several). */
export async function exactCachedAnswer(tx: Tx, scope: CacheScope, request: Omit<CacheRequest, 'question'>, now: Date): Promise<CachedAnswer | null> {
  const rows = await tx.$queryRaw<EntryRow[]>`
    SELECT id::text, answer, provider, response_model, source_run_id::text, 1::float8 AS similarity
    FROM response_cache_entries
    WHERE workspace_id = ${scope.workspaceId}::uuid AND agent_id = ${scope.agentId}::uuid AND agent_version = ${scope.agentVersion}
      AND model = ${scope.model} AND context_fingerprint = ${scope.contextFingerprint}
      AND end_user_id IS NOT DISTINCT FROM ${scope.endUserId}::text
      AND prompt_hash = ${request.promptHash} AND question_hash = ${request.questionHash}
      AND expires_at > ${now}
    ORDER BY created_at DESC LIMIT 1`;
  return rows[0] ? answerOf(rows[0], 'exact') : null;
}

/** The live entry whose question is closest to this one, if its similarity reaches the threshold. */
export async function similarCachedAnswer(
  tx: Tx,
  scope: CacheScope,
  request: Pick<CacheRequest, 'promptHash'>,
  embedding: QuestionEmbedding,
  threshold: number,
  now: Date,
): Promise<CachedAnswer | null> {
  const vector = vectorLiteral(embedding.vector);
  // Candidates are the few entries of one key (btree); their distance is computed exactly.
  const rows = await tx.$queryRaw<EntryRow[]>`
    SELECT id::text, answer, provider, response_model, source_run_id::text, similarity FROM (
      SELECT id, answer, provider, response_model, source_run_id, created_at,
             1 - (embedding <=> ${vector}::vector) AS similarity
      FROM response_cache_entries
      WHERE workspace_id = ${scope.workspaceId}::uuid AND agent_id = ${scope.agentId}::uuid AND agent_version = ${scope.agentVersion}
        AND model = ${scope.model} AND context_fingerprint = ${scope.contextFingerprint}
        AND end_user_id IS NOT DISTINCT FROM ${scope.endUserId}::text
        AND prompt_hash = ${request.promptHash}
        AND expires_at > ${now}
        AND embedding_model = ${embedding.model} AND vector_dims(embedding) = ${embedding.vector.length}
    ) candidates
    WHERE similarity >= ${threshold}
    ORDER BY similarity DESC, created_at DESC LIMIT 1`;
  return rows[0] ? answerOf(rows[0], 'semantic') : null;
}

/** Counts a hit on the entry (for operators reading the table; the ledger holds the metered hit). */
export async function countCacheHit(tx: Tx, workspaceId: string, entryId: string, now: Date): Promise<void> {
  await tx.$executeRaw`
    UPDATE response_cache_entries SET hit_count = hit_count + 1, last_hit_at = ${now}
    WHERE workspace_id = ${workspaceId}::uuid AND id = ${entryId}::uuid`;
}

export type NewCacheEntry = {
  answer: string;
  provider: string;
  responseModel: string;
  sourceRunId: string;
  ttlSeconds: number;
  knowledgeBaseIds: readonly string[];
  embedding: QuestionEmbedding | null;
};

/** Stores a final answer for ttlSeconds from now; the workspace's expired entries are dropped on the way. */
export async function storeCachedAnswer(tx: Tx, scope: CacheScope, request: Omit<CacheRequest, 'question'>, entry: NewCacheEntry, now: Date): Promise<string> {
  await tx.$executeRaw`DELETE FROM response_cache_entries WHERE workspace_id = ${scope.workspaceId}::uuid AND expires_at <= ${now}`;
  const expiresAt = new Date(now.getTime() + entry.ttlSeconds * 1000);
  const vector = entry.embedding ? vectorLiteral(entry.embedding.vector) : null;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO response_cache_entries (workspace_id, agent_id, agent_version, model, context_fingerprint, end_user_id,
                                        prompt_hash, question_hash, knowledge_base_ids, embedding_model, embedding,
                                        answer, provider, response_model, source_run_id, created_at, expires_at)
    VALUES (${scope.workspaceId}::uuid, ${scope.agentId}::uuid, ${scope.agentVersion}, ${scope.model}, ${scope.contextFingerprint},
            ${scope.endUserId}::text, ${request.promptHash}, ${request.questionHash}, ${[...entry.knowledgeBaseIds]}::uuid[],
            ${entry.embedding?.model ?? null}, ${vector}::vector, ${entry.answer}, ${entry.provider}, ${entry.responseModel},
            ${entry.sourceRunId}::uuid, ${now}, ${expiresAt})
    RETURNING id::text`;
  return rows[0]!.id;
}

/** Deletes every cached answer given to one end user ("forget this end user"); how many went. */
export async function forgetEndUserCache(tx: Tx, workspaceId: string, endUserId: string): Promise<number> {
  return tx.$executeRaw`DELETE FROM response_cache_entries WHERE workspace_id = ${workspaceId}::uuid AND end_user_id = ${endUserId}`;
}
