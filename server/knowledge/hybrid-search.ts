// Hybrid retrieval over a workspace's knowledge bases: a pgvector leg and a
// Postgres full-text leg, fused by reciprocal rank. Every query carries an
// explicit `workspace_id = $1` next to RLS (real per-tenant plan estimates). The
// vector leg is exact for small workspaces (the (workspace_id, knowledge_base_id)
// btree, then a sort by distance: the true top k) and uses the per-dimension HNSW
// index with hnsw.iterative_scan above KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS, so a
// tenant's neighbours are not lost to filtering after the index. The query is
// embedded through the gateway (metered) before any transaction opens.
import { Prisma } from '../db/generated/client';
import { InvalidInput } from '../domain-errors';
import { env } from '../env';
import { withWorkspace, type Tx } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { dimensionsParameter, INDEXED_DIMENSIONS, vectorLiteral, type EmbeddingChoice } from './embedding-models';

export type SearchRequest = {
  query: string;
  /** Only these knowledge bases (default: all of the workspace). */
  knowledgeBaseIds?: readonly string[];
  /** Only these documents. */
  documentIds?: readonly string[];
  /** Passages returned, 1–20 (default 5). */
  limit?: number;
};

/** Who the search is for; a run's search is metered against its step. */
export type SearchScope = {
  workspaceId: string;
  runId?: string | null;
  stepIndex?: number | null;
  agentId?: string | null;
  signal?: AbortSignal;
};

export type SearchHit = {
  chunkId: string;
  documentId: string;
  documentName: string;
  knowledgeBaseId: string;
  knowledgeBaseName: string;
  position: number;
  headingPath: string[];
  text: string;
  /** Reciprocal-rank fusion score. */
  score: number;
  /** 1-based rank in each leg, null when the leg did not return the chunk. */
  vectorRank: number | null;
  textRank: number | null;
  /** Cosine similarity to the query, when the vector leg returned the chunk. */
  similarity: number | null;
};

export type VectorStrategy = 'exact' | 'hnsw';

export type SearchResult = { hits: SearchHit[]; strategy: VectorStrategy; workspaceChunks: number };

export const MAX_SEARCH_LIMIT = 20;
/** The usual RRF constant: damps the weight of the very first ranks. */
const RRF_K = 60;
/** Candidates each leg contributes before fusion. */
const CANDIDATES_PER_LEG = 40;
const MAX_QUERY_CHARS = 2_000;

type Base = { id: string; embedding: EmbeddingChoice };
export type LegRow = { id: string; distance?: number };

export async function searchKnowledge(gateway: Gateway, scope: SearchScope, request: SearchRequest): Promise<SearchResult> {
  const query = request.query.trim();
  if (!query) throw new InvalidInput('Enter something to search for.', 'query');
  if (query.length > MAX_QUERY_CHARS) throw new InvalidInput(`A search can be at most ${MAX_QUERY_CHARS} characters.`, 'query');
  const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(request.limit ?? 5)));

  const { bases, workspaceChunks } = await withWorkspace(scope.workspaceId, (tx) => searchTargets(tx, scope.workspaceId, request));
  const strategy = strategyFor(workspaceChunks);
  if (!bases.length) return { hits: [], strategy, workspaceChunks };

  const groups = groupByModel(bases);
  const queryVectors = new Map<string, string>();
  let first = true;
  for (const [key, group] of groups) {
    const embedded = await gateway.embed({
      workspaceId: scope.workspaceId,
      runId: scope.runId ?? null,
      // The ledger keys a run's call by step: only the first model's call carries it.
      stepIndex: first ? (scope.stepIndex ?? null) : null,
      attempt: first && scope.stepIndex != null ? 1 : null,
      agentId: scope.agentId ?? null,
      signal: scope.signal,
      texts: [query],
      override: { model: group.embedding.model },
      dimensions: dimensionsParameter(group.embedding),
    });
    queryVectors.set(key, vectorLiteral(embedded.embeddings[0] ?? [], group.embedding.dimension));
    first = false;
  }

  return withWorkspace(scope.workspaceId, async (tx) => {
    const vectorRanks = new Map<string, { rank: number; distance: number }>();
    const vectorRows: LegRow[] = [];
    for (const [key, group] of groups) {
      vectorRows.push(...(await vectorLeg(tx, scope.workspaceId, group, queryVectors.get(key)!, request.documentIds, strategy)));
    }
    vectorRows.sort((a, b) => (a.distance ?? 2) - (b.distance ?? 2));
    vectorRows.slice(0, CANDIDATES_PER_LEG).forEach((row, i) => vectorRanks.set(row.id, { rank: i + 1, distance: row.distance ?? 2 }));
    const textRows = await textLeg(tx, scope.workspaceId, bases.map((b) => b.id), query, request.documentIds);
    const textRanks = new Map(textRows.map((row, i) => [row.id, i + 1]));

    const fused = [...new Set([...vectorRanks.keys(), ...textRanks.keys()])]
      .map((id) => {
        const v = vectorRanks.get(id);
        const t = textRanks.get(id);
        return { id, score: (v ? 1 / (RRF_K + v.rank) : 0) + (t ? 1 / (RRF_K + t) : 0), v, t };
      })
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, limit);
    const passages = await passagesOf(tx, scope.workspaceId, fused.map((f) => f.id));
    const hits = fused.flatMap((f): SearchHit[] => {
      const passage = passages.get(f.id);
      if (!passage) return [];
      return [{ ...passage, score: f.score, vectorRank: f.v?.rank ?? null, textRank: f.t ?? null, similarity: f.v ? 1 - f.v.distance : null }];
    });
    return { hits, strategy, workspaceChunks };
  });
}

/** Exact scan up to KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS chunks in the workspace, HNSW with iterative scan above. */
export function strategyFor(workspaceChunks: number): VectorStrategy {
  return workspaceChunks > env().KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS ? 'hnsw' : 'exact';
}

async function searchTargets(tx: Tx, workspaceId: string, request: SearchRequest): Promise<{ bases: Base[]; workspaceChunks: number }> {
  const rows = await tx.knowledgeBase.findMany({
    where: { workspaceId, ...(request.knowledgeBaseIds ? { id: { in: [...request.knowledgeBaseIds] } } : {}) },
    select: { id: true, embeddingModel: true, dimension: true },
  });
  // The chunk count of the workspace picks the plan; the documents table holds it per document.
  const counted = await tx.$queryRaw<{ chunks: bigint | number | null }[]>`
    SELECT coalesce(sum(chunk_count), 0) AS chunks FROM knowledge_documents WHERE workspace_id = ${workspaceId}::uuid`;
  return {
    bases: rows.map((r) => ({ id: r.id, embedding: { model: r.embeddingModel, dimension: r.dimension } })),
    workspaceChunks: Number(counted[0]?.chunks ?? 0),
  };
}

export type ModelGroup = { embedding: EmbeddingChoice; baseIds: string[] };

function groupByModel(bases: readonly Base[]): Map<string, ModelGroup> {
  const groups = new Map<string, ModelGroup>();
  for (const base of bases) {
    const key = `${base.embedding.model}|${base.embedding.dimension}`;
    const group = groups.get(key) ?? { embedding: base.embedding, baseIds: [] };
    group.baseIds.push(base.id);
    groups.set(key, group);
  }
  return groups;
}

function documentFilter(documentIds: readonly string[] | undefined): Prisma.Sql {
  return documentIds ? Prisma.sql`AND document_id = ANY(${[...documentIds]}::uuid[])` : Prisma.empty;
}

/**
 * The vector leg. Exact: `embedding <=> q` matches no index expression, so the
 * planner reads the workspace's rows through the btree and sorts them. HNSW: the
 * same expression and predicate as the partial index of this dimension, with an
 * iterative scan that keeps reading the graph until enough rows pass the filters.
 */
export async function vectorLeg(
  tx: Tx,
  workspaceId: string,
  group: ModelGroup,
  queryVector: string,
  documentIds: readonly string[] | undefined,
  strategy: VectorStrategy,
): Promise<LegRow[]> {
  const { model, dimension } = group.embedding;
  const filters = Prisma.sql`workspace_id = ${workspaceId}::uuid
      AND knowledge_base_id = ANY(${group.baseIds}::uuid[])
      AND embedding_model = ${model} AND dimension = ${dimension}::int
      ${documentFilter(documentIds)}`;
  if (strategy === 'hnsw' && INDEXED_DIMENSIONS.includes(dimension)) {
    await tx.$queryRaw`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '100', true)`;
    const cast = Prisma.raw(`vector(${dimension})`);
    const rows = await tx.$queryRaw<LegRow[]>`
      SELECT id, distance FROM (
        SELECT id, (embedding::${cast} <=> ${queryVector}::${cast}) AS distance
        FROM knowledge_chunks
        WHERE ${filters} AND dimension = ${Prisma.raw(String(dimension))}
        ORDER BY embedding::${cast} <=> ${queryVector}::${cast}
        LIMIT ${CANDIDATES_PER_LEG}
      ) AS nearest ORDER BY distance`;
    return rows.map((r) => ({ id: r.id, distance: Number(r.distance) }));
  }
  const rows = await tx.$queryRaw<LegRow[]>`
    SELECT id, (embedding <=> ${queryVector}::vector) AS distance
    FROM knowledge_chunks
    WHERE ${filters}
    ORDER BY embedding <=> ${queryVector}::vector, id
    LIMIT ${CANDIDATES_PER_LEG}`;
  return rows.map((r) => ({ id: r.id, distance: Number(r.distance) }));
}

/** The full-text leg: any of the query's words (OR), ranked by cover density, current-model chunks only. */
async function textLeg(tx: Tx, workspaceId: string, baseIds: string[], query: string, documentIds: readonly string[] | undefined): Promise<LegRow[]> {
  return tx.$queryRaw<LegRow[]>`
    SELECT c.id
    FROM knowledge_chunks c
    JOIN knowledge_bases b ON b.workspace_id = c.workspace_id AND b.id = c.knowledge_base_id AND b.embedding_model = c.embedding_model
    CROSS JOIN (SELECT replace(plainto_tsquery('english', ${query})::text, '&', '|')::tsquery AS q) AS query
    WHERE c.workspace_id = ${workspaceId}::uuid
      AND c.knowledge_base_id = ANY(${baseIds}::uuid[])
      ${documentIds ? Prisma.sql`AND c.document_id = ANY(${[...documentIds]}::uuid[])` : Prisma.empty}
      AND c.text_search @@ query.q
    ORDER BY ts_rank_cd(c.text_search, query.q) DESC, c.id
    LIMIT ${CANDIDATES_PER_LEG}`;
}

type Passage = Omit<SearchHit, 'score' | 'vectorRank' | 'textRank' | 'similarity'>;

async function passagesOf(tx: Tx, workspaceId: string, chunkIds: string[]): Promise<Map<string, Passage>> {
  if (!chunkIds.length) return new Map();
  const rows = await tx.knowledgeChunk.findMany({
    where: { workspaceId, id: { in: chunkIds } },
    select: {
      id: true,
      documentId: true,
      knowledgeBaseId: true,
      position: true,
      headingPath: true,
      text: true,
      document: { select: { name: true } },
      knowledgeBase: { select: { name: true } },
    },
  });
  return new Map(
    rows.map((r) => [
      r.id,
      {
        chunkId: r.id,
        documentId: r.documentId,
        documentName: r.document.name,
        knowledgeBaseId: r.knowledgeBaseId,
        knowledgeBaseName: r.knowledgeBase.name,
        position: r.position,
        headingPath: r.headingPath,
        text: r.text,
      },
    ]),
  );
}
