// Hybrid retrieval over a workspace's knowledge bases: a pgvector leg and a
// Postgres full-text leg, fused by reciprocal rank, with the true top k of the
// workspace under RLS at every tenant size. Every query carries an explicit
// `workspace_id = $1` next to the policy (real per-tenant plan estimates). The
// vector leg is an exact scan up to KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS chunks and
// the workspace's own partial HNSW index above it (migration 0021; why and where
// the threshold comes from: THRESHOLD below). The query is embedded through the
// gateway (metered) before the one search statement's transaction opens.
import { Prisma } from '../db/generated/client';
import { Conflict, InvalidInput, PolicyViolation } from '../domain-errors';
import { env } from '../env';
import { readInWorkspace, type Tx } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { dimensionsParameter, vectorLiteral, type EmbeddingChoice } from './embedding-models';

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
/**
 * Graph candidates an HNSW scan keeps. The workspace's own index holds only its
 * rows, so no neighbour is lost to another tenant's rows; how many it finds
 * depends on the data. On the benchmark's hashed 384-d corpus, a 10,000-chunk
 * workspace's index returned 0.60 of the true top 10 at 40, 0.82 at 100, 0.96 at
 * 400 and 0.99 at 800 (PostgreSQL 15, bench/knowledge.ts); semantic embeddings
 * cluster and do better. Iterative scan covers knowledge-base and document
 * filters: the scan reads on until enough rows pass.
 */
const HNSW_EF_SEARCH = 400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * THRESHOLD: exact scan up to KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS chunks (20,000 by
 * default), the workspace's own HNSW index above it once the ingestion worker has
 * built it (workspace-vector-index.ts; until then the exact scan, never a lossy
 * plan). The exact scan is the only plan whose recall is 1 by construction, and
 * with chunk rows untoasted (migration 0021) it costs about 5 ms per 1,000 chunks
 * measured on a loaded 2-core machine (far less idle), in proportion to the
 * workspace's size. An HNSW index costs the same at any size but reached 0.99
 * recall on the benchmark's corpus only at ef_search 800, where it is no faster
 * than an exact scan of 10,000 chunks (with the explicit WHERE the planner sees
 * that too and reads the btree from ef_search 400); so the exact scan serves every workspace
 * up to where its latency, not its recall, becomes the problem. One HNSW graph
 * over all tenants was measured too and is not used: RLS filters after the
 * index, and a 1% tenant got 0.06 of its true top 10 back (0.61 with iterative
 * scan). bench/knowledge.ts prints these figures and the crossover.
 */
export function strategyFor(workspaceChunks: number, indexed: boolean): VectorStrategy {
  return indexed && workspaceChunks > env().KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS ? 'hnsw' : 'exact';
}

export type ModelGroup = { embedding: EmbeddingChoice; baseIds: string[]; strategy: VectorStrategy };

/** What a search reads: the workspace's knowledge bases grouped by embedding model, and its size. */
export type SearchTargets = { groups: ModelGroup[]; workspaceChunks: number };

/**
 * What each workspace's last search read, by workspace and knowledge-base filter,
 * for LAST_TARGETS_TTL_MS: it lets the query be embedded before the one search
 * transaction opens, which reads the targets again and uses what it reads. Nothing
 * is taken on trust from it: a changed embedding model re-embeds the query, any
 * other change (a new base, an index built) just applies, and an embedding call
 * the remembered model can no longer make (its provider disabled or refused by
 * policy) is retried with the targets read afresh. The TTL bounds how long a query
 * can still go to a model a base has moved away from.
 */
const lastTargets = new Map<string, { targets: SearchTargets; until: number }>();
const LAST_TARGETS_MAX = 1_000;
const LAST_TARGETS_TTL_MS = 30_000;

function targetsKey(workspaceId: string, knowledgeBaseIds: readonly string[] | undefined): string {
  return `${workspaceId}|${knowledgeBaseIds ? [...knowledgeBaseIds].sort().join(',') : '*'}`;
}

function rememberedTargets(key: string): SearchTargets | undefined {
  const entry = lastTargets.get(key);
  if (entry && entry.until > Date.now()) return entry.targets;
  lastTargets.delete(key);
  return undefined;
}

function rememberTargets(key: string, targets: SearchTargets): void {
  lastTargets.delete(key);
  if (lastTargets.size >= LAST_TARGETS_MAX) lastTargets.delete(lastTargets.keys().next().value!);
  lastTargets.set(key, { targets, until: Date.now() + LAST_TARGETS_TTL_MS });
}

/** The embedding models a search needs, in group order: equal when the same query vectors serve both. */
function modelsOf(targets: SearchTargets): string {
  return targets.groups.map((g) => `${g.embedding.model}|${g.embedding.dimension}`).join(';');
}

/** Same bases, models and plans: a search statement built for one serves the other. */
function sameGroups(x: SearchTargets, y: SearchTargets): boolean {
  return JSON.stringify(x.groups) === JSON.stringify(y.groups);
}

export async function searchKnowledge(gateway: Gateway, scope: SearchScope, request: SearchRequest): Promise<SearchResult> {
  const query = checkedQuery(request);
  const key = targetsKey(scope.workspaceId, request.knowledgeBaseIds);
  const targetsSql = searchTargetsSql(scope.workspaceId, request.knowledgeBaseIds);
  let known = rememberedTargets(key);
  /** Whether `known` was read in this search (not only remembered). */
  let confirmed = false;
  let queryVectors: string[] | null = null;
  let embeddings = 0;
  // Each pass is one round trip; a pass whose targets changed meanwhile is run again with what it read (three changes in a row are a conflict).
  for (let pass = 0; pass < 4; pass++) {
    if (!known?.groups.length) {
      // Nothing to search as far as this process knows: read the targets alone (a base may have been created since).
      const [rows] = await readInWorkspace(scope.workspaceId, [targetsSql]);
      known = targetsOf(rows!);
      confirmed = true;
      rememberTargets(key, known);
      if (!known.groups.length) return { hits: [], strategy: 'exact', workspaceChunks: known.workspaceChunks };
    }
    if (!queryVectors) {
      try {
        // The ledger keys a run's call by its step: a second embedding in one search (the model changed) is recorded beside it, not on the same key.
        queryVectors = await embedQuery(gateway, embeddings === 0 ? scope : { ...scope, stepIndex: null }, known.groups, query);
        embeddings += 1;
      } catch (error) {
        // Refused before any request: the remembered model may be one the workspace no longer uses. Read the targets afresh and embed with theirs.
        if (confirmed || !(error instanceof InvalidInput || error instanceof PolicyViolation)) throw error;
        lastTargets.delete(key);
        known = undefined;
        continue;
      }
    }
    const hnsw = known.groups.some((g) => g.strategy === 'hnsw');
    const answers = await readInWorkspace(scope.workspaceId, [
      targetsSql,
      ...(hnsw ? [hnswSettingsSql()] : []),
      rankedPassagesSql(scope.workspaceId, known.groups, queryVectors, request),
    ]);
    const current = targetsOf(answers[0]!);
    rememberTargets(key, current);
    if (sameGroups(current, known)) {
      return { hits: hitsOf(answers.at(-1)! as FusedRow[]), strategy: hnsw ? 'hnsw' : 'exact', workspaceChunks: current.workspaceChunks };
    }
    if (modelsOf(current) !== modelsOf(known)) queryVectors = null;
    known = current;
    confirmed = true;
  }
  throw new Conflict('The knowledge bases changed while searching them; search again.');
}

function checkedQuery(request: SearchRequest): string {
  const query = request.query.trim();
  if (!query) throw new InvalidInput('Enter something to search for.', 'query');
  if (query.length > MAX_QUERY_CHARS) throw new InvalidInput(`A search can be at most ${MAX_QUERY_CHARS} characters.`, 'query');
  return query;
}

type TargetRow = { id: string; embedding_model: string; dimension: number; workspace_chunks: bigint | number | string; indexed: boolean };

/** One statement: the knowledge bases, the workspace's chunk count, and whether each dimension has the workspace's own index. */
export function searchTargetsSql(workspaceId: string, knowledgeBaseIds: readonly string[] | undefined): Prisma.Sql {
  return Prisma.sql`
    SELECT b.id, b.embedding_model, b.dimension,
           (SELECT coalesce(sum(d.chunk_count), 0) FROM knowledge_documents d WHERE d.workspace_id = ${workspaceId}::uuid) AS workspace_chunks,
           to_regclass(workspace_vector_index_name(b.workspace_id, b.dimension)) IS NOT NULL AS indexed
    FROM knowledge_bases b
    WHERE b.workspace_id = ${workspaceId}::uuid
      ${knowledgeBaseIds ? Prisma.sql`AND b.id = ANY(${[...knowledgeBaseIds]}::uuid[])` : Prisma.empty}
    ORDER BY b.created_at, b.id`;
}

function targetsOf(rows: readonly Record<string, unknown>[]): SearchTargets {
  const targetRows = rows as TargetRow[];
  const workspaceChunks = Number(targetRows[0]?.workspace_chunks ?? 0);
  const groups = new Map<string, ModelGroup>();
  for (const row of targetRows) {
    const key = `${row.embedding_model}|${row.dimension}`;
    const group = groups.get(key) ?? {
      embedding: { model: row.embedding_model, dimension: row.dimension },
      baseIds: [],
      strategy: strategyFor(workspaceChunks, row.indexed),
    };
    group.baseIds.push(row.id);
    groups.set(key, group);
  }
  return { groups: [...groups.values()], workspaceChunks };
}

export async function searchTargets(tx: Tx, workspaceId: string, knowledgeBaseIds: readonly string[] | undefined): Promise<SearchTargets> {
  return targetsOf(await tx.$queryRaw<TargetRow[]>(searchTargetsSql(workspaceId, knowledgeBaseIds)));
}

/** The query's vector for each model group, one gateway call (metered) each; no transaction is open meanwhile. */
export async function embedQuery(gateway: Gateway, scope: SearchScope, groups: readonly ModelGroup[], query: string): Promise<string[]> {
  const vectors: string[] = [];
  for (const [i, group] of groups.entries()) {
    const first = i === 0;
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
    vectors.push(vectorLiteral(embedded.embeddings[0] ?? [], group.embedding.dimension));
  }
  return vectors;
}

type FusedRow = {
  id: string;
  document_id: string;
  document_name: string;
  knowledge_base_id: string;
  knowledge_base_name: string;
  position: number;
  heading_path: string[];
  text: string;
  score: number;
  vector_rank: bigint | number | null;
  text_rank: bigint | number | null;
  distance: number | null;
};

function hitsOf(rows: readonly FusedRow[]): SearchHit[] {
  return rows.map((r) => ({
    chunkId: r.id,
    documentId: r.document_id,
    documentName: r.document_name,
    knowledgeBaseId: r.knowledge_base_id,
    knowledgeBaseName: r.knowledge_base_name,
    position: r.position,
    headingPath: r.heading_path,
    text: r.text,
    score: Number(r.score),
    vectorRank: r.vector_rank === null ? null : Number(r.vector_rank),
    textRank: r.text_rank === null ? null : Number(r.text_rank),
    similarity: r.distance === null ? null : 1 - Number(r.distance),
  }));
}

/**
 * Both legs, the fusion and the passages in one statement (also EXPLAINed by
 * bench/knowledge.ts). The vector leg takes the nearest CANDIDATES_PER_LEG of each
 * model group (merged by distance), the text leg the best CANDIDATES_PER_LEG by
 * ts_rank; each chunk scores Σ 1/(RRF_K + rank) over the legs that returned it.
 * An exact group is read once: one pass over the
 * workspace's rows of that model computes each chunk's distance and, where its
 * text matches, its text score, and both legs take their candidates from that
 * pass (reading the rows twice cost as much again). A group with its own HNSW
 * index takes its vector candidates from the index and its text candidates
 * through the full-text leg. The passages of the top `limit` are then looked up
 * by id, one index probe each.
 */
export function rankedPassagesSql(workspaceId: string, groups: readonly ModelGroup[], queryVectors: readonly string[], request: SearchRequest): Prisma.Sql {
  const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(request.limit ?? 5)));
  const query = checkedQuery(request);
  const scans = groups.flatMap((group, i) =>
    group.strategy === 'exact' ? [Prisma.sql`${Prisma.raw(`scan_${i}`)} AS MATERIALIZED (${exactScanSql(workspaceId, group, queryVectors[i]!, query, request.documentIds)}),`] : [],
  );
  const vectorCandidates = groups.map((group, i) =>
    group.strategy === 'exact'
      ? Prisma.sql`(SELECT id, distance FROM ${Prisma.raw(`scan_${i}`)} ORDER BY distance, id LIMIT ${CANDIDATES_PER_LEG})`
      : Prisma.sql`(${vectorLegSql(workspaceId, group, queryVectors[i]!, request.documentIds)})`,
  );
  const textCandidates = groups.map((group, i) =>
    group.strategy === 'exact'
      ? Prisma.sql`(SELECT id, text_score FROM ${Prisma.raw(`scan_${i}`)} WHERE text_score IS NOT NULL ORDER BY text_score DESC, id LIMIT ${CANDIDATES_PER_LEG})`
      : Prisma.sql`(${textLegSql(workspaceId, group.baseIds, query, request.documentIds)})`,
  );
  return Prisma.sql`
    WITH ${scans.length ? Prisma.join(scans, ' ') : Prisma.empty}
    vector_leg AS (
      SELECT id, distance, row_number() OVER (ORDER BY distance, id) AS rank
      FROM (SELECT id, distance FROM (${Prisma.join(vectorCandidates, ' UNION ALL ')}) AS candidates ORDER BY distance, id LIMIT ${CANDIDATES_PER_LEG}) AS nearest
    ),
    text_leg AS (
      SELECT id, row_number() OVER (ORDER BY text_score DESC, id) AS rank
      FROM (SELECT id, text_score FROM (${Prisma.join(textCandidates, ' UNION ALL ')}) AS candidates ORDER BY text_score DESC, id LIMIT ${CANDIDATES_PER_LEG}) AS matched
    ),
    fused AS MATERIALIZED (
      SELECT coalesce(v.id, t.id) AS id, v.rank AS vector_rank, t.rank AS text_rank, v.distance,
             coalesce(1.0 / (${RRF_K} + v.rank), 0) + coalesce(1.0 / (${RRF_K} + t.rank), 0) AS score
      FROM vector_leg v FULL JOIN text_leg t ON t.id = v.id
      ORDER BY score DESC, id
      LIMIT ${limit}
    )
    SELECT f.id, f.vector_rank, f.text_rank, f.distance, f.score::float8 AS score,
           c.document_id, d.name AS document_name, c.knowledge_base_id, b.name AS knowledge_base_name,
           c.position, c.heading_path, c.text
    FROM fused f
    -- OFFSET 0 keeps each lookup a probe by id (flattened, the planner joined the workspace's documents and chunks first).
    CROSS JOIN LATERAL (
      SELECT c.document_id, c.knowledge_base_id, c.position, c.heading_path, c.text
      FROM knowledge_chunks c WHERE c.workspace_id = ${workspaceId}::uuid AND c.id = f.id OFFSET 0
    ) AS c
    JOIN knowledge_documents d ON d.workspace_id = ${workspaceId}::uuid AND d.id = c.document_id
    JOIN knowledge_bases b ON b.workspace_id = ${workspaceId}::uuid AND b.id = c.knowledge_base_id
    ORDER BY f.score DESC, f.id`;
}

/** The full-text query: any of the query's words (OR). */
function textQuerySql(query: string): Prisma.Sql {
  return Prisma.sql`(SELECT replace(plainto_tsquery('english', ${query})::text, '&', '|')::tsquery AS q)`;
}

/**
 * One pass over an exact group's rows: every chunk's distance to the query and,
 * when its text matches, its ts_rank score. The group's knowledge bases all
 * use its model, so the model filter is the text leg's current-model filter too.
 */
function exactScanSql(workspaceId: string, group: ModelGroup, queryVector: string, query: string, documentIds: readonly string[] | undefined): Prisma.Sql {
  return Prisma.sql`
    SELECT c.id, (c.embedding <=> ${queryVector}::vector) AS distance,
           CASE WHEN c.text_search @@ q.q THEN ts_rank(c.text_search, q.q) END AS text_score
    FROM knowledge_chunks c CROSS JOIN ${textQuerySql(query)} AS q
    WHERE c.workspace_id = ${workspaceId}::uuid AND c.dimension = ${group.embedding.dimension}::int
      AND c.knowledge_base_id = ANY(${group.baseIds}::uuid[]) AND c.embedding_model = ${group.embedding.model}
      ${documentFilter(documentIds, 'c.')}`;
}

/** ef_search and iterative scan for this transaction's HNSW scans. */
function hnswSettingsSql(efSearch = HNSW_EF_SEARCH): Prisma.Sql {
  return Prisma.sql`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(efSearch)}, true)`;
}

export async function useHnswSettings(tx: Tx, efSearch = HNSW_EF_SEARCH): Promise<void> {
  await tx.$queryRaw(hnswSettingsSql(efSearch));
}

function documentFilter(documentIds: readonly string[] | undefined, alias = ''): Prisma.Sql {
  return documentIds ? Prisma.sql`AND ${Prisma.raw(alias)}document_id = ANY(${[...documentIds]}::uuid[])` : Prisma.empty;
}

/**
 * One model group's nearest chunks (id, distance), closest first. Exact: the
 * expression `embedding <=> q` matches no index, so the planner reads the
 * workspace's rows through its btree and sorts them: the true top k. HNSW: the
 * expression and the literal predicate of the workspace's partial index
 * (`workspace_id = '<ws>' AND dimension = N`, migration 0021); a bound parameter
 * would not prove the predicate in a generic plan, so the checked id is inlined.
 */
export function vectorLegSql(workspaceId: string, group: ModelGroup, queryVector: string, documentIds: readonly string[] | undefined): Prisma.Sql {
  const { model, dimension } = group.embedding;
  const filters = Prisma.sql`knowledge_base_id = ANY(${group.baseIds}::uuid[]) AND embedding_model = ${model} ${documentFilter(documentIds)}`;
  if (group.strategy === 'hnsw') {
    if (!UUID.test(workspaceId) || !Number.isInteger(dimension)) throw new InvalidInput('Unknown workspace.', 'workspaceId');
    const cast = Prisma.raw(`vector(${dimension})`);
    return Prisma.sql`
      SELECT id, (embedding::${cast} <=> ${queryVector}::${cast}) AS distance
      FROM knowledge_chunks
      WHERE workspace_id = ${Prisma.raw(`'${workspaceId}'::uuid`)} AND dimension = ${Prisma.raw(String(dimension))} AND ${filters}
      ORDER BY embedding::${cast} <=> ${queryVector}::${cast}
      LIMIT ${CANDIDATES_PER_LEG}`;
  }
  return Prisma.sql`
    SELECT id, (embedding <=> ${queryVector}::vector) AS distance
    FROM knowledge_chunks
    WHERE workspace_id = ${workspaceId}::uuid AND dimension = ${dimension}::int AND ${filters}
    ORDER BY distance, id
    LIMIT ${CANDIDATES_PER_LEG}`;
}

/**
 * The full-text leg: any of the query's words (OR), ranked by ts_rank (how often
 * and how near the query's words occur), current-model chunks only. Not
 * ts_rank_cd: cover density cost half as much again as matching itself on a
 * 10,000-chunk workspace, with a long tail (bench/knowledge.ts); the labelled
 * questions of knowledge.test.ts still find their passage in the top 5.
 */
export function textLegSql(workspaceId: string, baseIds: string[], query: string, documentIds: readonly string[] | undefined): Prisma.Sql {
  return Prisma.sql`
    SELECT c.id, ts_rank(c.text_search, q.q) AS text_score
    FROM knowledge_chunks c
    JOIN knowledge_bases b ON b.workspace_id = c.workspace_id AND b.id = c.knowledge_base_id
      AND b.embedding_model = c.embedding_model AND b.dimension = c.dimension
    CROSS JOIN ${textQuerySql(query)} AS q
    WHERE c.workspace_id = ${workspaceId}::uuid
      AND c.knowledge_base_id = ANY(${baseIds}::uuid[])
      ${documentFilter(documentIds, 'c.')}
      AND c.text_search @@ q.q
    ORDER BY ts_rank(c.text_search, q.q) DESC, c.id
    LIMIT ${CANDIDATES_PER_LEG}`;
}
