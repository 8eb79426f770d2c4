// Knowledge search at scale: full recall for small and large tenants under RLS.
// Method: a fresh embedded database (or DATABASE_URL: a fresh PostgreSQL
// database); 100,000 chunks of 384 dimensions (the hashed local model, embedded
// through the gateway over HTTP) across 50 workspaces: A holds 1%, B 10%, the
// other 48 from 300 to ~3,400 chunks (so the exact scan is timed at many sizes).
// After the load each workspace gets what the ingestion worker would give it: its
// own HNSW index above KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS (ensureWorkspaceVectorIndex).
// Then 50 queries per share through searchKnowledge() (hybrid, as agents and the
// search box call it): p50/p95 of the whole search, and of its two parts, timed
// inside each search (the query-embedding call: gateway, local model over HTTP,
// ledger row; the retrieval: the one search transaction, which reads the targets
// and runs the search statement), EXPLAIN ANALYZE of each leg, and recall@10 of
// its vector leg against an exact scan of the same workspace under RLS. Then the
// vector-leg plans side by side (bench/knowledge-strategies.ts) and the exact-scan
// cost per 1,000 chunks, from which the threshold is derived.
// ingestChunksPerSecond: the ingestion worker's real path (parse, chunk, embed
// with the local model, write batches) on fresh documents. Figures, not pass/fail.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { env, setRuntimeEnv } from '../server/env';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { migrate } from '../server/db/migrator';
import { createOwnerPool } from '../server/db/owner-pool';
import { disconnectPrisma } from '../server/db/prisma';
import { closeStatementPool } from '../server/db/statement-pool';
import { withWorkspace } from '../server/db/with-workspace';
import { createGateway, systemClock, type Gateway } from '../server/llm/gateway';
import { startLocalModelServer } from '../server/llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../server/net/node-egress-adapters';
import { LOCAL_HASHED_EMBEDDING_MODEL } from '../server/knowledge/embedding-models';
import {
  embedQuery,
  rankedPassagesSql,
  searchKnowledge,
  searchTargets,
  textLegSql,
  useHnswSettings,
  vectorLegSql,
} from '../server/knowledge/hybrid-search';
import { claimNextDocument } from '../server/knowledge/ingestion-claim';
import { ingestDocument } from '../server/knowledge/ingest-document';
import { ensureWorkspaceVectorIndex } from '../server/knowledge/workspace-vector-index';
import { compareStrategies, exactScanScaling, exactTop10, percentile, type BenchTenant } from './knowledge-strategies';

/** `--chunks=N` for a quicker run; the figures asked for are at 100,000. */
const TOTAL_CHUNKS = Number(process.argv.find((a) => a.startsWith('--chunks='))?.split('=')[1] ?? 100_000);
const WORKSPACES = 50;
const DIMENSION = 384;
const QUERIES = 50;
const LOAD_BATCH = 1_000;
/** `--search-only`: the whole-search figures and ingestion, without the plan comparison (whose 100,000-row graph build is most of a run). */
const SEARCH_ONLY = process.argv.includes('--search-only');

/** A small deterministic PRNG, so every run builds the same corpus. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(7);
const VOCABULARY = Array.from({ length: 3_000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}${'rstln'[(i * 7) % 5]}`);
const sentence = (words: number) => Array.from({ length: words }, () => VOCABULARY[Math.floor(random() ** 2 * VOCABULARY.length)]).join(' ');
const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** A: 1%, B: 10%, the rest spread linearly from 0.3% of the corpus to about 3.4×, summing to what is left. */
function tenantSizes(): number[] {
  const shareA = Math.round(TOTAL_CHUNKS * 0.01);
  const shareB = Math.round(TOTAL_CHUNKS * 0.1);
  const rest = TOTAL_CHUNKS - shareA - shareB;
  const others = WORKSPACES - 2;
  const low = Math.round(TOTAL_CHUNKS * 0.003);
  const high = 2 * (rest / others) - low;
  const sizes = Array.from({ length: others }, (_, i) => Math.round(low + ((high - low) * i) / (others - 1)));
  sizes[others - 1]! += rest - sizes.reduce((s, n) => s + n, 0);
  return [shareA, shareB, ...sizes];
}

async function loadCorpus(owner: pg.Pool, gateway: Gateway): Promise<{ tenants: BenchTenant[]; loadSeconds: number }> {
  const tenants: BenchTenant[] = [];
  for (const [i, chunks] of tenantSizes().entries()) {
    const ws = await owner.query<{ id: string }>(`INSERT INTO workspaces (name, slug) VALUES ($1, $2) RETURNING id`, [`Bench ${i}`, `bench-${i}`]);
    // The bench measures search, not a plan: model tokens and knowledge storage are lifted out of the way.
    await owner.query(
      `INSERT INTO workspace_limit_overrides (workspace_id, tokens_per_minute, knowledge_max_chunks, knowledge_max_bytes) VALUES ($1, 2000000000, 100000000, 1000000000000)`,
      [ws.rows[0]!.id],
    );
    const kb = await owner.query<{ id: string }>(
      `INSERT INTO knowledge_bases (workspace_id, name, embedding_model, dimension) VALUES ($1, 'Bench', $2, $3) RETURNING id`,
      [ws.rows[0]!.id, LOCAL_HASHED_EMBEDDING_MODEL, DIMENSION],
    );
    tenants.push({ id: ws.rows[0]!.id, baseId: kb.rows[0]!.id, chunks, model: LOCAL_HASHED_EMBEDDING_MODEL, dimension: DIMENSION });
  }
  // The full-text index is dropped during the load and rebuilt once after it.
  await owner.query(`DROP INDEX knowledge_chunks_text_search_idx`);
  const started = performance.now();
  for (const tenant of tenants) {
    for (let done = 0; done < tenant.chunks; done += LOAD_BATCH) {
      const count = Math.min(LOAD_BATCH, tenant.chunks - done);
      const doc = await owner.query<{ id: string }>(
        `INSERT INTO knowledge_documents (workspace_id, knowledge_base_id, source_kind, name, status, progress, chunk_count, embedding_model)
         VALUES ($1, $2, 'paste', $3, 'ready', 100, $4, $5) RETURNING id`,
        [tenant.id, tenant.baseId, `Bench document ${done / LOAD_BATCH}`, count, LOCAL_HASHED_EMBEDDING_MODEL],
      );
      const texts = Array.from({ length: count }, () => sentence(40));
      const { embeddings } = await gateway.embed({ workspaceId: tenant.id, texts, override: { model: LOCAL_HASHED_EMBEDDING_MODEL }, dimensions: DIMENSION });
      const rows = texts.map((text, i) => ({ position: i, text, embedding: `[${embeddings[i]!.join(',')}]` }));
      await owner.query(
        `INSERT INTO knowledge_chunks (workspace_id, knowledge_base_id, document_id, position, text, embedding_model, dimension, embedding)
         SELECT $1, $2, $3, r.position, r.text, $4, $5, r.embedding::vector
         FROM jsonb_to_recordset($6::jsonb) AS r(position int, text text, embedding text)`,
        [tenant.id, tenant.baseId, doc.rows[0]!.id, LOCAL_HASHED_EMBEDDING_MODEL, DIMENSION, JSON.stringify(rows)],
      );
    }
    process.stderr.write('.');
  }
  await owner.query(`CREATE INDEX knowledge_chunks_text_search_idx ON knowledge_chunks USING gin (text_search)`);
  await owner.query(`ANALYZE knowledge_chunks`);
  process.stderr.write('\n');
  return { tenants, loadSeconds: (performance.now() - started) / 1000 };
}

type ShareFigures = {
  recall: number;
  p50: number;
  p95: number;
  /** CPU time of this process during each search (the embedded database and the model server run in it): less load-sensitive than wall time. */
  cpu: number[];
  strategy: string;
  /** Per search: its query-embedding call (gateway, local model over HTTP, ledger row), and everything else (the one search transaction). */
  parts: { embed: number[]; retrieval: number[] };
  explain: { vector: number; text: number; whole: number; planning: number };
};

async function explainMs(tenant: BenchTenant, sql: ReturnType<typeof vectorLegSql>, hnsw: boolean) {
  return withWorkspace(tenant.id, async (tx) => {
    if (hnsw) await useHnswSettings(tx);
    const rows = await tx.$queryRaw<{ 'QUERY PLAN': [{ 'Execution Time': number; 'Planning Time': number }] }[]>`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`;
    const plan = rows[0]!['QUERY PLAN'][0];
    return { execution: plan['Execution Time'], planning: plan['Planning Time'] };
  });
}

/** The gateway with each embedding call's wall time recorded: a search's query embedding, told apart from the rest of it. */
function timedGateway(gateway: Gateway): { gateway: Gateway; take: () => number } {
  let spent = 0;
  const timed: Gateway = {
    ...gateway,
    async embed(request) {
      const started = performance.now();
      try {
        return await gateway.embed(request);
      } finally {
        spent += performance.now() - started;
      }
    },
  };
  return { gateway: timed, take: () => ((s) => ((spent = 0), s))(spent) };
}

async function measureShare(gateway: Gateway, tenant: BenchTenant, queries: string[]): Promise<ShareFigures> {
  const latencies: number[] = [];
  const cpu: number[] = [];
  const parts = { embed: [] as number[], retrieval: [] as number[] };
  const timed = timedGateway(gateway);
  let recallSum = 0;
  let strategy = '';
  for (const query of queries) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await searchKnowledge(timed.gateway, { workspaceId: tenant.id }, { query, limit: 10 });
    const elapsed = performance.now() - t0;
    const used = process.cpuUsage(c0);
    latencies.push(elapsed);
    cpu.push((used.user + used.system) / 1000);
    const embedding = timed.take();
    parts.embed.push(embedding);
    parts.retrieval.push(elapsed - embedding);
    strategy = result.strategy;

    // recall@10 of the vector leg the search ran, against an exact scan under RLS.
    const targets = await withWorkspace(tenant.id, (tx) => searchTargets(tx, tenant.id, undefined));
    const [vector] = await embedQuery(gateway, { workspaceId: tenant.id }, targets.groups, query);
    const group = targets.groups[0]!;
    const leg = await withWorkspace(tenant.id, async (tx) => {
      if (group.strategy === 'hnsw') await useHnswSettings(tx);
      return tx.$queryRaw<{ id: string; distance: number }[]>(vectorLegSql(tenant.id, group, vector!, undefined));
    });
    const ids = leg.sort((a, b) => Number(a.distance) - Number(b.distance)).slice(0, 10).map((r) => r.id);
    const truth = new Set(await exactTop10(tenant, vector!));
    recallSum += ids.filter((id) => truth.has(id)).length / Math.max(1, truth.size);
  }
  // Where the statement's time goes, for the last query: each leg alone and the whole, as the database reports it.
  const query = queries.at(-1)!;
  const targets = await withWorkspace(tenant.id, (tx) => searchTargets(tx, tenant.id, undefined));
  const [vector] = await embedQuery(gateway, { workspaceId: tenant.id }, targets.groups, query);
  const hnsw = targets.groups[0]!.strategy === 'hnsw';
  const vectorPlan = await explainMs(tenant, vectorLegSql(tenant.id, targets.groups[0]!, vector!, undefined), hnsw);
  const textPlan = await explainMs(tenant, textLegSql(tenant.id, [tenant.baseId], query, undefined), false);
  const wholePlan = await explainMs(tenant, rankedPassagesSql(tenant.id, targets.groups, [vector!], { query, limit: 10 }), hnsw);
  return {
    recall: recallSum / queries.length,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    cpu,
    strategy,
    parts,
    explain: { vector: vectorPlan.execution, text: textPlan.execution, whole: wholePlan.execution, planning: wholePlan.planning },
  };
}

async function measureIngestion(owner: pg.Pool, gateway: Gateway, tenant: BenchTenant): Promise<{ chunks: number; seconds: number; failed: number }> {
  // 20 pasted documents of about 50 chunks each, through the worker's path.
  for (let d = 0; d < 20; d++) {
    const text = Array.from({ length: 50 }, (_, s) => `## Section ${s}\n\n${sentence(150)}`).join('\n\n');
    await owner.query(
      `INSERT INTO knowledge_documents (workspace_id, knowledge_base_id, source_kind, name, format, size_bytes, content)
       VALUES ($1, $2, 'paste', $3, 'markdown', $4, $5)`,
      [tenant.id, tenant.baseId, `Ingest ${d}`, Buffer.byteLength(text), Buffer.from(text)],
    );
  }
  const started = performance.now();
  for (;;) {
    const claimed = await claimNextDocument('bench', 60_000);
    if (!claimed) break;
    await ingestDocument({ gateway, egressAdapters: nodeEgressAdapters, workerId: 'bench', leaseMs: 60_000, batchSize: env().INGEST_BATCH_SIZE }, claimed);
  }
  const seconds = (performance.now() - started) / 1000;
  const ingested = await owner.query<{ n: number; failed: number }>(
    `SELECT coalesce(sum(chunk_count), 0)::int AS n, count(*) FILTER (WHERE status <> 'ready')::int AS failed
     FROM knowledge_documents WHERE workspace_id = $1 AND name LIKE 'Ingest %'`,
    [tenant.id],
  );
  return { chunks: ingested.rows[0]!.n, seconds, failed: ingested.rows[0]!.failed };
}

type Comparison = Awaited<ReturnType<typeof compareStrategies>>;

/** The plan comparison and the exact-scan crossover; returns the crossover at recall 0.99 (null when no index plan reached it). */
function printComparison(strategies: Comparison, scaling: Awaited<ReturnType<typeof exactScanScaling>>, tenB: BenchTenant): number | null {
  console.log(`\nVector leg alone (statement time inside the transaction), one HNSW for all built in ${fixed(strategies.globalBuildSeconds)} s`);
  console.log('share  plan                                          recall@10   p50 / p95 ms   reads through');
  for (const row of strategies.rows) {
    for (const f of row.figures) {
      console.log(`${row.share.padEnd(5)}  ${f.label.padEnd(44)}  ${fixed(f.recall, 3).padStart(9)}  ${fixed(f.p50, 2).padStart(6)} / ${fixed(f.p95, 2).padEnd(6)}  ${f.plan}`);
    }
  }
  // The crossover: where the exact scan costs what the workspace's index costs, for each ef_search the planner ran through that index.
  const tenPercent = strategies.rows.find((r) => r.share === '10%')!.figures.filter((f) => f.label.startsWith('workspace'));
  const throughIndex = tenPercent.filter((f) => f.plan === "workspace's hnsw");
  const fullEnough = throughIndex.find((f) => f.recall >= 0.99);
  const crossoverAt = (p50: number) => Math.max(0, Math.round(((p50 - scaling.interceptMs) / scaling.msPerThousand) * 1000));
  const crossover = fullEnough ? crossoverAt(fullEnough.p50) : null;
  console.log(`workspace HNSW builds for this comparison: ${strategies.workspaceBuilds.map((b) => `${b.chunks} chunks ${fixed(b.seconds, 2)} s`).join(', ') || 'none'}`);
  console.log(`\nExact vector leg p50 by workspace size: ${scaling.points.map((p) => `${p.chunks}: ${fixed(p.p50, 2)} ms`).join(', ')}`);
  console.log(`≈ ${fixed(scaling.interceptMs, 2)} ms + ${fixed(scaling.msPerThousand, 2)} ms per 1,000 chunks. Where it costs what the workspace's HNSW costs at ${tenB.chunks} chunks:`);
  for (const f of throughIndex) console.log(`  ${f.label} (recall ${fixed(f.recall, 3)}, ${fixed(f.p50, 2)} ms): ≈ ${crossoverAt(f.p50)} chunks`);
  console.log(
    fullEnough
      ? `→ at recall ≥ 0.99 (${fullEnough.label}): ≈ ${crossover} chunks`
      : throughIndex.length
        ? '→ no ef_search that the planner ran through the workspace index reached recall 0.99: only the exact scan had full recall'
        : '→ the planner read every setting through the btree (the exact scan) at this size',
  );
  return crossover;
}

async function main() {
  const embedded = env().DATABASE_URL ? null : await startEmbeddedPostgres({});
  const url = env().DATABASE_URL ?? embedded!.url;
  const owner: pg.Pool = createOwnerPool(url, 4);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: url, LOG_LEVEL: 'warn' });
  const model = await startLocalModelServer({ port: 0 });
  const gateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: model.url, timeoutMs: 120_000 }) });
  const settings = await owner.query<{ version: string; shared_buffers: string; maintenance_work_mem: string; pgvector: string }>(
    `SELECT split_part(version(), ' on ', 1) AS version, current_setting('shared_buffers') AS shared_buffers,
            current_setting('maintenance_work_mem') AS maintenance_work_mem,
            (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector`,
  );

  const { tenants, loadSeconds } = await loadCorpus(owner, gateway);
  // What the ingestion worker does after each document: the workspace's own index above the threshold.
  const builds: { chunks: number; seconds: number }[] = [];
  for (const tenant of tenants) {
    const started = performance.now();
    if ((await ensureWorkspaceVectorIndex(tenant.id, DIMENSION)) === 'built') builds.push({ chunks: tenant.chunks, seconds: (performance.now() - started) / 1000 });
  }
  await owner.query(`ANALYZE knowledge_chunks`);

  const shares = [
    { label: '1%', tenant: tenants[0]! },
    { label: '10%', tenant: tenants[1]! },
  ];
  const queriesOf = new Map(shares.map(({ tenant }) => [tenant.id, Array.from({ length: QUERIES }, () => sentence(6))]));
  const results = new Map<string, ShareFigures>();
  for (const { label, tenant } of shares) results.set(label, await measureShare(gateway, tenant, queriesOf.get(tenant.id)!));

  // The vector-leg plans side by side, with the query vectors of the measured queries.
  const vectorCache = new Map<string, string[]>();
  for (const { tenant } of shares) {
    const { embeddings } = await gateway.embed({ workspaceId: tenant.id, texts: queriesOf.get(tenant.id)!, override: { model: LOCAL_HASHED_EMBEDDING_MODEL }, dimensions: DIMENSION });
    vectorCache.set(tenant.id, embeddings.map((e) => `[${e.join(',')}]`));
  }
  const sampleVectors = vectorCache.get(tenants[0]!.id)!.slice(0, 20);
  const vectorsOf = (tenant: BenchTenant) => vectorCache.get(tenant.id) ?? sampleVectors;
  const strategies = SEARCH_ONLY ? null : await compareStrategies(owner, shares, vectorsOf);
  const bySize = [...tenants].sort((x, y) => x.chunks - y.chunks);
  const scalingTenants = [0, 8, 16, 24, 32, 40, 47, 49].map((i) => bySize[Math.min(i, bySize.length - 1)]!);
  const scaling = SEARCH_ONLY ? null : await exactScanScaling(scalingTenants, vectorsOf);

  const ingestion = await measureIngestion(owner, gateway, tenants[2]!);

  const database = embedded ? 'PGlite (embedded)' : 'DATABASE_URL';
  const s = settings.rows[0]!;
  console.log(`\nKnowledge search, ${database}: ${s.version}, pgvector ${s.pgvector}, shared_buffers ${s.shared_buffers}, maintenance_work_mem ${s.maintenance_work_mem}`);
  console.log(`${TOTAL_CHUNKS} chunks × ${DIMENSION} d in ${WORKSPACES} workspaces; load ${fixed(loadSeconds)} s; exact-scan threshold ${env().KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS} chunks`);
  console.log(`workspace HNSW builds: ${builds.map((b) => `${b.chunks} chunks ${fixed(b.seconds, 2)} s`).join(', ') || 'none'}`);
  const load = loadavg();
  console.log(`\nWhole search (searchKnowledge, limit 10), ms; load average ${load.map((l) => fixed(l, 2)).join(' ')} on ${cpus().length} cores`);
  if (embedded) {
    console.log('(cpu: CPU time of this process during the search, all its threads: the embedded database, the model server and the client run here.');
    console.log(' Less sensitive to other processes than wall time, but not free of them: contention inflates it too.)');
  }
  console.log('share  chunks  plan   recall@10   p50 / p95     cpu p50 / p95 | query embedding p50/p95  retrieval p50/p95 | EXPLAIN ANALYZE: vector leg, text leg, whole statement (+ planning)');
  for (const { label, tenant } of shares) {
    const r = results.get(label)!;
    const p = (xs: number[]) => `${fixed(percentile(xs, 0.5))} / ${fixed(percentile(xs, 0.95))}`;
    console.log(
      `${label.padEnd(5)}  ${String(tenant.chunks).padStart(6)}  ${r.strategy.padEnd(5)}  ${fixed(r.recall, 3).padStart(9)}  ${fixed(r.p50).padStart(5)} / ${fixed(r.p95).padEnd(6)} ` +
        `${embedded ? `${fixed(percentile(r.cpu, 0.5)).padStart(5)} / ${fixed(percentile(r.cpu, 0.95)).padEnd(6)}` : '     n/a       '} | ` +
        `${p(r.parts.embed).padStart(23)}  ${p(r.parts.retrieval).padStart(17)} | ` +
        `${fixed(r.explain.vector, 2)}, ${fixed(r.explain.text, 2)}, ${fixed(r.explain.whole, 2)} (+${fixed(r.explain.planning, 2)})`,
    );
  }
  const crossover = strategies && scaling ? printComparison(strategies, scaling, tenants[1]!) : null;
  console.log(`ingestion: ${ingestion.chunks} chunks in ${fixed(ingestion.seconds)} s (${ingestion.failed} documents not ready)`);
  const one = results.get('1%')!;
  const ten = results.get('10%')!;
  console.log(
    JSON.stringify({
      recallAt10Share1: Number(fixed(one.recall, 4)),
      recallAt10Share10: Number(fixed(ten.recall, 4)),
      searchP50MsShare1: Number(fixed(one.p50, 2)),
      searchP95MsShare1: Number(fixed(one.p95, 2)),
      searchP50MsShare10: Number(fixed(ten.p50, 2)),
      searchP95MsShare10: Number(fixed(ten.p95, 2)),
      ingestChunksPerSecond: Number(fixed(ingestion.chunks / ingestion.seconds, 1)),
      queryEmbeddingP50MsShare1: Number(fixed(percentile(one.parts.embed, 0.5), 2)),
      queryEmbeddingP50MsShare10: Number(fixed(percentile(ten.parts.embed, 0.5), 2)),
      retrievalP50MsShare1: Number(fixed(percentile(one.parts.retrieval, 0.5), 2)),
      retrievalP95MsShare1: Number(fixed(percentile(one.parts.retrieval, 0.95), 2)),
      retrievalP50MsShare10: Number(fixed(percentile(ten.parts.retrieval, 0.5), 2)),
      retrievalP95MsShare10: Number(fixed(percentile(ten.parts.retrieval, 0.95), 2)),
      exactScanCrossoverChunks: crossover,
      ...(embedded
        ? { searchCpuP50MsShare1: Number(fixed(percentile(one.cpu, 0.5), 2)), searchCpuP95MsShare1: Number(fixed(percentile(one.cpu, 0.95), 2)), searchCpuP50MsShare10: Number(fixed(percentile(ten.cpu, 0.5), 2)), searchCpuP95MsShare10: Number(fixed(percentile(ten.cpu, 0.95), 2)) }
        : {}),
      loadAverage: Number(fixed(load[0]!, 2)),
    }),
  );
  await model.stop();
  await closeStatementPool();
  await disconnectPrisma();
  await owner.end();
  await embedded?.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
