// Large workspaces, against a real database, the real worker loops and the local
// model over HTTP: a workspace that outgrows the exact scan gets its own HNSW index
// from the ingestion worker, its searches read through it and still return the
// true top 10, the other workspace keeps its exact scan and never sees those
// chunks; and a large document being ingested in one workspace does not hold up
// another workspace's run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../env';
import { withWorkspace } from '../db/with-workspace';
import { createAgent } from '../agents/agents';
import { NEW_AGENT_DEFAULTS } from '../agents/new-agent-defaults';
import { runById, startRun } from '../agents/runs';
import { startRunWorker, type RunWorker } from '../agents/run-worker';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { LOCAL_HASHED_EMBEDDING_MODEL } from './embedding-models';
import { rankedPassagesSql, searchKnowledge, searchTargets, useHnswSettings, vectorLegSql } from './hybrid-search';
import { startIngestionWorker, type IngestionWorker } from './ingestion-worker';
import { createKnowledgeBase } from './knowledge-bases';
import { addPastedDocument } from './knowledge-documents';
import { dropWorkspaceVectorIndexes, ensureWorkspaceVectorIndex } from './workspace-vector-index';

/** A workspace with more chunks than this gets its own index (KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS, small for the test). */
const THRESHOLD = 40;
const TERMS = ['harbour', 'lantern', 'ferry', 'tide', 'pier', 'gull', 'rope', 'anchor', 'sail', 'keel', 'mast', 'buoy', 'chart', 'dock'];

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;
let model: LocalModelServer;
let gateway: Gateway;
let ingestion: IngestionWorker | undefined;
let runs: RunWorker | undefined;
const sandbox = createQuickJsSandbox();

/** A Markdown document of `sections` sections, each its own chunk, with varied words so the vectors differ. */
function manual(sections: number, seed: number): string {
  return Array.from({ length: sections }, (_, s) => {
    const words = Array.from({ length: 60 }, (_, w) => TERMS[(s * 7 + w * (seed + 3) + ((s * w) % 5)) % TERMS.length]);
    return `## Section ${seed}-${s}\n\n${words.join(' ')} number${s} part${s % 9}.`;
  }).join('\n\n');
}

async function documentState(workspaceId: string, name: string) {
  const { rows } = await db.owner.query<{ status: string; progress: number; chunk_count: number; finished_at: Date | null }>(
    `SELECT status, progress, chunk_count, finished_at FROM knowledge_documents WHERE workspace_id = $1 AND name = $2`,
    [workspaceId, name],
  );
  return rows[0]!;
}

/** Polls state (never a time bound on the system under test); the test's own timeout ends a hang. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function workspaceIndexes(workspaceId: string): Promise<string[]> {
  const { rows } = await db.owner.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE tablename = 'knowledge_chunks' AND indexname = workspace_vector_index_name($1, 384)`,
    [workspaceId],
  );
  return rows.map((r) => r.indexname);
}

beforeAll(async () => {
  db = await createTestDatabase();
  setRuntimeEnv({ KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS: String(THRESHOLD) });
  ({ a, b, ownerA, ownerB } = await seedTenantsOnLocalModel());
  // Every model call takes a little while, as a real model's does.
  model = await startLocalModelServer({ port: 0, latency: { ttftMs: 25 } });
  gateway = localModelGateway(model.url, 60_000);
}, 180_000);

afterAll(async () => {
  await runs?.stop(1_000);
  await ingestion?.stop(1_000);
  await sandbox.close();
  await model?.stop();
  await db?.stop();
});

describe('a workspace above the exact-scan threshold', () => {
  let baseA: string;
  let baseB: string;

  beforeAll(async () => {
    for (const [actor, label] of [[ownerA, 'A'], [ownerB, 'B']] as const) {
      const base = await withWorkspace(actor.workspaceId, (tx) => createKnowledgeBase(tx, actor, { name: 'Harbour', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
      if (label === 'A') baseA = base.id;
      else baseB = base.id;
    }
    // A crosses the threshold, B stays below it; the same words, so B could match A's chunks if it ever saw them.
    await withWorkspace(a.workspace.id, (tx) => addPastedDocument(tx, ownerA, baseA, { name: 'Harbour manual', text: manual(THRESHOLD + 30, 1) }));
    await withWorkspace(b.workspace.id, (tx) => addPastedDocument(tx, ownerB, baseB, { name: 'Harbour notes', text: manual(10, 1) }));
    ingestion = startIngestionWorker({ gateway, egressAdapters: nodeEgressAdapters, leaseMs: 30_000, pollMs: 20, batchSize: 16, concurrency: 1 });
    await until(() => documentState(a.workspace.id, 'Harbour manual'), (d) => d.status === 'ready');
    await until(() => documentState(b.workspace.id, 'Harbour notes'), (d) => d.status === 'ready');
    await ingestion.stop();
    ingestion = undefined;
  }, 120_000);

  it('gets its own HNSW index from the ingestion worker; the smaller workspace does not', async () => {
    expect((await documentState(a.workspace.id, 'Harbour manual')).chunk_count).toBeGreaterThan(THRESHOLD);
    expect(await workspaceIndexes(a.workspace.id)).toHaveLength(1);
    expect(await workspaceIndexes(b.workspace.id)).toHaveLength(0);
  });

  it('searches through that index and still returns the true top 10 of the workspace', async () => {
    const result = await searchKnowledge(gateway, { workspaceId: a.workspace.id }, { query: 'lantern tide anchor', limit: 10 });
    expect(result.strategy).toBe('hnsw');
    expect(result.hits.length).toBe(10);
    const { embeddings } = await gateway.embed({ workspaceId: a.workspace.id, texts: ['lantern tide anchor'], override: { model: LOCAL_HASHED_EMBEDDING_MODEL }, dimensions: 384 });
    const vector = `[${embeddings[0]!.join(',')}]`;
    const { leg, plan, exact } = await withWorkspace(a.workspace.id, async (tx) => {
      const targets = await searchTargets(tx, a.workspace.id, undefined);
      await useHnswSettings(tx);
      const sql = vectorLegSql(a.workspace.id, targets.groups[0]!, vector, undefined);
      const explained = await tx.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN ${rankedPassagesSql(a.workspace.id, targets.groups, [vector], { query: 'lantern', limit: 10 })}`;
      return {
        leg: await tx.$queryRaw<{ id: string; distance: number }[]>(sql),
        plan: explained.map((r) => r['QUERY PLAN']).join('\n'),
        // The reference: every chunk the policy lets this workspace see, sorted by distance.
        exact: await tx.$queryRaw<{ id: string }[]>`SELECT id FROM knowledge_chunks ORDER BY embedding <=> ${vector}::vector, id LIMIT 10`,
      };
    });
    expect(plan).toContain((await workspaceIndexes(a.workspace.id))[0]);
    const nearest = leg.sort((x, y) => Number(x.distance) - Number(y.distance)).slice(0, 10).map((r) => r.id);
    expect(new Set(nearest)).toEqual(new Set(exact.map((r) => r.id)));
  });

  it('falls back to the exact scan, with the same passages, once its index is dropped (workspace deletion)', async () => {
    const before = await searchKnowledge(gateway, { workspaceId: a.workspace.id }, { query: 'lantern tide anchor', limit: 10 });
    expect(await dropWorkspaceVectorIndexes(a.workspace.id)).toBe(1);
    expect(await workspaceIndexes(a.workspace.id)).toHaveLength(0);
    const after = await searchKnowledge(gateway, { workspaceId: a.workspace.id }, { query: 'lantern tide anchor', limit: 10 });
    expect(after.strategy).toBe('exact');
    expect(new Set(after.hits.map((h) => h.chunkId))).toEqual(new Set(before.hits.map((h) => h.chunkId)));
    // Rebuilt by the next call, as after the next document.
    expect(await ensureWorkspaceVectorIndex(a.workspace.id, 384)).toBe('built');
    expect(await ensureWorkspaceVectorIndex(a.workspace.id, 384)).toBe('exists');
    expect(await ensureWorkspaceVectorIndex(b.workspace.id, 384)).toBe('below');
  });

  it('leaves the other workspace on its exact scan, with only its own chunks', async () => {
    const result = await searchKnowledge(gateway, { workspaceId: b.workspace.id }, { query: 'lantern tide anchor', limit: 20 });
    expect(result.strategy).toBe('exact');
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.some((h) => h.knowledgeBaseId === baseB && h.documentName === 'Harbour notes')).toBe(true);
    const { rows } = await db.owner.query<{ workspace_id: string }>(`SELECT DISTINCT workspace_id FROM knowledge_chunks WHERE id = ANY($1::uuid[])`, [
      result.hits.map((h) => h.chunkId),
    ]);
    expect(rows).toEqual([{ workspace_id: b.workspace.id }]);
  });
});

describe('a large document being ingested', () => {
  it("does not hold up another workspace's run: B's run succeeds while A's document is still being ingested", async () => {
    const baseA = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Archive', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    const agentB = await withWorkspace(b.workspace.id, (tx) =>
      createAgent(tx, ownerB, { ...NEW_AGENT_DEFAULTS, providerId: null, name: 'Helper', description: '', changeNote: '', systemPrompt: 'Be brief.', variables: [], knowledgeBaseIds: [], knowledgeMode: 'tool' }),
    );
    // 300 chunks embedded two at a time: 150 model calls of at least 25 ms each, and 150 batch writes.
    await withWorkspace(a.workspace.id, (tx) => addPastedDocument(tx, ownerA, baseA.id, { name: 'Large archive', text: manual(300, 2) }));
    ingestion = startIngestionWorker({ gateway, egressAdapters: nodeEgressAdapters, leaseMs: 30_000, pollMs: 20, batchSize: 2, concurrency: 1 });
    runs = startRunWorker({ gateway, sandbox, egressAdapters: nodeEgressAdapters, leaseMs: 30_000, pollMs: 20, concurrency: 1 });

    const started = await until(() => documentState(a.workspace.id, 'Large archive'), (d) => d.status === 'processing' && d.chunk_count > 0);
    expect(started.progress).toBeLessThan(100);
    const run = await withWorkspace(b.workspace.id, (tx) => startRun(tx, ownerB, { agentId: agentB.id, input: 'Say hello.' }));
    const finished = await until(
      () => withWorkspace(b.workspace.id, (tx) => runById(tx, b.workspace.id, run.id)),
      (r) => ['succeeded', 'failed', 'cancelled'].includes(r.status),
    );
    const duringRun = await documentState(a.workspace.id, 'Large archive');

    expect(finished.status).toBe('succeeded');
    expect(duringRun.status).toBe('processing');
    expect(duringRun.chunk_count).toBeLessThan(300);

    const done = await until(() => documentState(a.workspace.id, 'Large archive'), (d) => d.status !== 'processing' && d.status !== 'queued');
    expect(done).toMatchObject({ status: 'ready', progress: 100, chunk_count: 300 });
    expect(finished.finishedAt!.getTime()).toBeLessThan(done.finished_at!.getTime());
  }, 180_000);
});
