// The vector-leg plans of bench/knowledge.ts side by side, and the exact-scan
// threshold derived from them: recall@10 against an exact scan of the same
// workspace under RLS, and the statement's own time (inside the transaction, so
// without the withWorkspace round trips), for an exact scan through the btree,
// the workspace's own partial HNSW index (ef_search 40 to 800; built here for
// each measured workspace if the worker has not), and one HNSW graph over every
// tenant searched under RLS alone (default, and iterative scan with ef_search
// 100). Figures, not pass/fail.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { Prisma } from '../server/db/generated/client';
import { withWorkspace, type Tx } from '../server/db/with-workspace';
import { useHnswSettings, vectorLegSql, type ModelGroup, type VectorStrategy } from '../server/knowledge/hybrid-search';

export type BenchTenant = { id: string; baseId: string; chunks: number; model: string; dimension: number };
export type StrategyFigures = { label: string; recall: number; p50: number; p95: number; plan: string };

export function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The 10 nearest ids; an iterative scan in relaxed order may return rows slightly out of order, so they are sorted as search sorts them. */
const top10 = (rows: { id: string; distance?: number }[]) =>
  [...rows]
    .sort((a, b) => Number(a.distance ?? 0) - Number(b.distance ?? 0) || a.id.localeCompare(b.id))
    .slice(0, 10)
    .map((r) => r.id);

/** The reference: every row of the workspace under RLS alone, sorted by distance. */
export async function exactTop10(tenant: BenchTenant, vector: string): Promise<string[]> {
  return withWorkspace(tenant.id, async (tx) =>
    top10(await tx.$queryRaw<{ id: string }[]>`SELECT id FROM knowledge_chunks ORDER BY embedding <=> ${vector}::vector, id LIMIT 10`),
  );
}

function group(tenant: BenchTenant, strategy: VectorStrategy): ModelGroup {
  return { embedding: { model: tenant.model, dimension: tenant.dimension }, baseIds: [tenant.baseId], strategy };
}

export const WORKSPACE_EF_SEARCH = [40, 100, 400, 800];

type Variant = { label: string; prepare: (tx: Tx) => Promise<void>; sql: (tenant: BenchTenant, vector: string) => Prisma.Sql };

function variants(dimension: number): Variant[] {
  const cast = Prisma.raw(`vector(${dimension})`);
  const globalLeg = (vector: string) => Prisma.sql`
    SELECT id, (embedding::${cast} <=> ${vector}::${cast}) AS distance FROM knowledge_chunks WHERE dimension = ${Prisma.raw(String(dimension))}
    ORDER BY embedding::${cast} <=> ${vector}::${cast} LIMIT 10`;
  return [
    { label: 'exact scan (btree on workspace_id)', prepare: async () => undefined, sql: (t, v) => vectorLegSql(t.id, group(t, 'exact'), v, undefined) },
    ...WORKSPACE_EF_SEARCH.map((ef) => ({
      label: `workspace's HNSW, ef_search ${ef}`,
      prepare: (tx: Tx) => useHnswSettings(tx, ef),
      sql: (t: BenchTenant, v: string) => vectorLegSql(t.id, group(t, 'hnsw'), v, undefined),
    })),
    { label: 'one HNSW for all, RLS only', prepare: async () => undefined, sql: (_t, v) => globalLeg(v) },
    { label: 'one HNSW for all, RLS only, iterative ef 100', prepare: (tx) => useHnswSettings(tx, 100), sql: (_t, v) => globalLeg(v) },
  ];
}

/** The index (or scan) a plan reads knowledge_chunks through, from EXPLAIN. */
async function planOf(tx: Tx, sql: Prisma.Sql): Promise<string> {
  const rows = await tx.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN ${sql}`;
  const text = rows.map((r) => r['QUERY PLAN']).join('\n');
  const index = /Index (?:Only )?Scan using (\S+)/.exec(text)?.[1] ?? /Bitmap Index Scan on (\S+)/.exec(text)?.[1];
  if (!index) return /Seq Scan/.test(text) ? 'seq scan' : 'other';
  if (index.startsWith('knowledge_chunks_ws_')) return "workspace's hnsw";
  return index.replace(/^knowledge_chunks_/, '');
}

async function timeVariant(variant: Variant, tenant: BenchTenant, vectors: string[], truths: string[][], needsIndex: boolean): Promise<StrategyFigures> {
  const latencies: number[] = [];
  let recall = 0;
  let plan = '';
  for (const [i, vector] of vectors.entries()) {
    const sql = variant.sql(tenant, vector);
    const ids = await withWorkspace(tenant.id, async (tx) => {
      await variant.prepare(tx);
      if (!plan) plan = await planOf(tx, sql);
      const started = performance.now();
      const rows = await tx.$queryRaw<{ id: string; distance?: number }[]>(sql);
      latencies.push(performance.now() - started);
      return top10(rows);
    });
    const truth = new Set(truths[i]);
    recall += ids.filter((id) => truth.has(id)).length / Math.max(1, truth.size);
  }
  // With the explicit WHERE the planner knows the workspace's size and may find the exact scan cheaper than a wide graph search.
  if (needsIndex && plan !== "workspace's hnsw") plan += " (the planner's choice over the workspace's hnsw)";
  return { label: variant.label, recall: recall / vectors.length, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), plan };
}

/**
 * Every variant for each tenant. The single graph over all tenants is built for
 * this comparison only (its build time is returned) and dropped again.
 */
export async function compareStrategies(
  owner: pg.Pool,
  tenants: { label: string; tenant: BenchTenant }[],
  vectorsOf: (tenant: BenchTenant) => string[],
): Promise<{ rows: { share: string; figures: StrategyFigures[] }[]; globalBuildSeconds: number; workspaceBuilds: { chunks: number; seconds: number }[] }> {
  const dimension = tenants[0]!.tenant.dimension;
  const started = performance.now();
  const session = await owner.connect();
  try {
    // As for the workspace indexes on the embedded database; a server's default (64MB) makes this build several times slower.
    await session.query(`SET maintenance_work_mem = '512MB'`);
    await session.query(`CREATE INDEX bench_all_tenants_hnsw_idx ON knowledge_chunks
      USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) WHERE dimension = ${dimension}`);
  } finally {
    session.release();
  }
  await owner.query('ANALYZE knowledge_chunks');
  const globalBuildSeconds = (performance.now() - started) / 1000;
  const rows: { share: string; figures: StrategyFigures[] }[] = [];
  const workspaceBuilds: { chunks: number; seconds: number }[] = [];
  for (const { tenant } of tenants) {
    // Below the threshold the worker builds none; the comparison needs one (threshold 0 here).
    const building = performance.now();
    const built = await owner.query<{ outcome: string }>('SELECT ensure_workspace_vector_index($1, $2, 0) AS outcome', [tenant.id, dimension]);
    if (built.rows[0]!.outcome === 'built') workspaceBuilds.push({ chunks: tenant.chunks, seconds: (performance.now() - building) / 1000 });
  }
  await owner.query('ANALYZE knowledge_chunks');
  try {
    for (const { label, tenant } of tenants) {
      const vectors = vectorsOf(tenant);
      const truths = [];
      for (const vector of vectors) truths.push(await exactTop10(tenant, vector));
      const figures: StrategyFigures[] = [];
      for (const variant of variants(dimension)) {
        figures.push(await timeVariant(variant, tenant, vectors, truths, variant.label.startsWith('workspace')));
      }
      rows.push({ share: label, figures });
    }
  } finally {
    await owner.query('DROP INDEX bench_all_tenants_hnsw_idx');
  }
  return { rows, globalBuildSeconds, workspaceBuilds };
}

/** p50 of the exact vector leg for tenants of different sizes, and the least-squares line through them (ms = a + b × chunks). */
export async function exactScanScaling(
  tenants: BenchTenant[],
  vectorsOf: (tenant: BenchTenant) => string[],
): Promise<{ points: { chunks: number; p50: number }[]; interceptMs: number; msPerThousand: number }> {
  const exact = variants(tenants[0]!.dimension)[0]!;
  const points = [];
  for (const tenant of tenants) {
    const vectors = vectorsOf(tenant);
    const figures = await timeVariant(exact, tenant, vectors, vectors.map(() => []), false);
    points.push({ chunks: tenant.chunks, p50: figures.p50 });
  }
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.chunks, 0) / n;
  const meanY = points.reduce((s, p) => s + p.p50, 0) / n;
  const slope =
    points.reduce((s, p) => s + (p.chunks - meanX) * (p.p50 - meanY), 0) / Math.max(1e-9, points.reduce((s, p) => s + (p.chunks - meanX) ** 2, 0));
  return { points, interceptMs: meanY - slope * meanX, msPerThousand: slope * 1000 };
}
