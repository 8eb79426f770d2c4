// Runs of versions with the response cache on, against a real database and the local
// model over HTTP: the same question again is answered from the cache (no model call,
// a zero-cost ledger row with cached = true, a span marked enclave.cache.hit), a
// close question only above the version's similarity threshold, never by another
// version's entries, and a knowledge base change clears the answers built on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { normaliseQuestion } from '../llm/cache/cache-key';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { claimNextDocument } from '../knowledge/ingestion-claim';
import { ingestDocument } from '../knowledge/ingest-document';
import { createKnowledgeBase } from '../knowledge/knowledge-bases';
import { addPastedDocument, deleteDocument } from '../knowledge/knowledge-documents';
import { LOCAL_HASHED_EMBEDDING_MODEL } from '../knowledge/embedding-models';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { createAgent, publishAgentVersion } from './agents';
import { claimNextRun } from './claim-order';
import { NEW_AGENT_DEFAULTS } from './new-agent-defaults';
import { executeRun } from './run-loop';
import { runById, startRun } from './runs';
import { createQuickJsSandbox } from './tools/javascript-sandbox';

let db: TestDatabase;
let a: SeededTenant;
let ownerA: Actor;
let model: LocalModelServer;
let gateway: Gateway;
const sandbox = createQuickJsSandbox();

type CacheSettings = { cacheEnabled: boolean; cacheTtlSeconds: number; cacheSimilarityThreshold: number | null };
const EXACT: CacheSettings = { cacheEnabled: true, cacheTtlSeconds: 3600, cacheSimilarityThreshold: null };

async function agentWith(name: string, cache: CacheSettings, knowledge: { ids: string[]; mode: 'automatic' | 'tool' } = { ids: [], mode: 'tool' }) {
  return withWorkspace(ownerA.workspaceId, (tx) =>
    createAgent(tx, ownerA, {
      ...NEW_AGENT_DEFAULTS,
      ...cache,
      providerId: null,
      name,
      description: '',
      changeNote: '',
      systemPrompt: 'Answer briefly.',
      variables: [],
      knowledgeBaseIds: knowledge.ids,
      knowledgeMode: knowledge.mode,
    }),
  );
}

async function runToEnd(agentId: string, input: string) {
  const started = await withWorkspace(ownerA.workspaceId, (tx) => startRun(tx, ownerA, { agentId, input }));
  const claimed = await claimNextRun('cache-run-worker', 30_000);
  expect(claimed?.id).toBe(started.id);
  await executeRun({ gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId: 'cache-run-worker', leaseMs: 30_000, streamFlushMs: 0 }, claimed!);
  const run = await withWorkspace(ownerA.workspaceId, (tx) => runById(tx, ownerA.workspaceId, started.id));
  expect(run.status).toBe('succeeded');
  return run;
}

async function ingestQueued() {
  for (;;) {
    const claimed = await claimNextDocument('cache-kb-test', 30_000);
    if (!claimed) return;
    await ingestDocument({ gateway, egressAdapters: nodeEgressAdapters, workerId: 'cache-kb-test', leaseMs: 30_000, batchSize: 8 }, claimed);
  }
}

type LedgerRow = { step_index: number | null; task_type: string; cost_usd: string; input_tokens: number; output_tokens: number; cached: boolean };
async function ledgerOf(runId: string): Promise<LedgerRow[]> {
  const { rows } = await db.owner.query<LedgerRow>(
    `SELECT step_index, task_type, cost_usd::text, input_tokens, output_tokens, cached FROM usage_events WHERE run_id = $1 ORDER BY created_at`,
    [runId],
  );
  return rows;
}

async function modelSpanAttributes(runId: string, stepIndex: number): Promise<Record<string, unknown>> {
  const { rows } = await db.owner.query<{ attributes: Record<string, unknown> }>(
    `SELECT attributes FROM trace_spans WHERE run_id = $1 AND step_index = $2 AND kind = 'model'`,
    [runId, stepIndex],
  );
  return rows[0]!.attributes;
}

async function entriesOfAgent(agentId: string): Promise<number> {
  const { rows } = await db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM response_cache_entries WHERE agent_id = $1`, [agentId]);
  return rows[0]!.n;
}

function cosine(x: number[], y: number[]): number {
  let dot = 0;
  let nx = 0;
  let ny = 0;
  x.forEach((v, i) => {
    dot += v * y[i]!;
    nx += v * v;
    ny += y[i]! * y[i]!;
  });
  return dot / Math.sqrt(nx * ny);
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, ownerA } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  gateway = localModelGateway(model.url);
}, 120_000);

afterAll(async () => {
  await sandbox.close();
  await model?.stop();
  await db?.stop();
});

describe('the response cache in a run', () => {
  it('answers the same question again from the cache: no model call, zero-cost ledger row with cached=true, span and step marked', async () => {
    const agent = await agentWith('Cached', EXACT);
    const first = await runToEnd(agent.id, 'What are your opening hours?');
    expect(first.steps).toHaveLength(1);
    expect(first.steps[0]!.cacheHit).toBeNull();
    expect(first.steps[0]!.inputTokens).toBeGreaterThan(0);
    expect(await entriesOfAgent(agent.id)).toBe(1);

    const second = await runToEnd(agent.id, '  what are your OPENING   hours? ');
    const [step] = second.steps;
    expect(second.steps).toHaveLength(1);
    expect(step!.cacheHit).toEqual({ match: 'exact', similarity: 1 });
    expect(step!.content).toBe(first.steps[0]!.content);
    expect(second.output).toBe(first.output);
    expect(step).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0, model: first.steps[0]!.model, provider: first.steps[0]!.provider });

    expect(await ledgerOf(first.id)).toEqual([{ step_index: 0, task_type: 'chat', cost_usd: first.steps[0]!.costUsd.toFixed(10), input_tokens: first.steps[0]!.inputTokens, output_tokens: first.steps[0]!.outputTokens, cached: false }]);
    // The only chat row of the second run is the cached one: no model was called.
    expect(await ledgerOf(second.id)).toEqual([{ step_index: 0, task_type: 'chat', cost_usd: '0.0000000000', input_tokens: 0, output_tokens: 0, cached: true }]);

    const hitSpan = await modelSpanAttributes(second.id, 0);
    expect(hitSpan).toMatchObject({ 'enclave.cache.hit': true, 'enclave.cache.match': 'exact', 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 0, 'enclave.cost_usd': 0 });
    expect(await modelSpanAttributes(first.id, 0)).not.toHaveProperty('enclave.cache.hit');

    const { rows } = await db.owner.query<{ hit_count: number }>(`SELECT hit_count FROM response_cache_entries WHERE agent_id = $1`, [agent.id]);
    expect(rows).toEqual([{ hit_count: 1 }]);
  }, 90_000);

  it('never serves a new version the old version\'s entries, nor an agent with the cache off', async () => {
    const agent = await agentWith('Versioned', EXACT);
    const v1 = await runToEnd(agent.id, 'Do you ship to Norway?');
    expect(v1.steps[0]!.cacheHit).toBeNull();
    expect((await runToEnd(agent.id, 'Do you ship to Norway?')).steps[0]!.cacheHit).toEqual({ match: 'exact', similarity: 1 });

    await withWorkspace(a.workspace.id, (tx) =>
      publishAgentVersion(tx, ownerA, agent.id, { ...NEW_AGENT_DEFAULTS, ...EXACT, providerId: null, systemPrompt: 'Answer briefly.', variables: [], changeNote: 'v2' }),
    );
    const v2 = await runToEnd(agent.id, 'Do you ship to Norway?');
    expect(v2.agentVersion).toBe(2);
    expect(v2.steps[0]!.cacheHit).toBeNull();
    expect((await ledgerOf(v2.id)).map((r) => r.cached)).toEqual([false]);
    expect((await runToEnd(agent.id, 'Do you ship to Norway?')).steps[0]!.cacheHit).toEqual({ match: 'exact', similarity: 1 });

    const off = await agentWith('Uncached', { ...EXACT, cacheEnabled: false });
    await runToEnd(off.id, 'Do you ship to Norway?');
    expect((await runToEnd(off.id, 'Do you ship to Norway?')).steps[0]!.cacheHit).toBeNull();
    expect(await entriesOfAgent(off.id)).toBe(0);
  }, 120_000);

  it('serves a close question above the similarity threshold and calls the model below it', async () => {
    const asked = 'How long does delivery to Berlin take?';
    const close = 'How long does express delivery to Berlin take?';
    const embedded = await gateway.embed({ workspaceId: a.workspace.id, texts: [normaliseQuestion(asked), normaliseQuestion(close)] });
    const similarity = cosine(embedded.embeddings[0]!, embedded.embeddings[1]!);
    expect(similarity).toBeGreaterThan(0.5);
    expect(similarity).toBeLessThan(0.999);

    const strict = await agentWith('Strict', { ...EXACT, cacheSimilarityThreshold: Math.min(1, similarity + 0.01) });
    await runToEnd(strict.id, asked);
    const below = await runToEnd(strict.id, close);
    expect(below.steps[0]!.cacheHit).toBeNull();
    expect((await ledgerOf(below.id)).filter((r) => r.task_type === 'chat')).toMatchObject([{ cached: false }]);

    const lenient = await agentWith('Lenient', { ...EXACT, cacheSimilarityThreshold: similarity - 0.01 });
    const original = await runToEnd(lenient.id, asked);
    const above = await runToEnd(lenient.id, close);
    expect(above.steps[0]!.cacheHit?.match).toBe('semantic');
    expect(above.steps[0]!.cacheHit!.similarity).toBeCloseTo(similarity, 4);
    expect(above.output).toBe(original.output);
    expect(await modelSpanAttributes(above.id, 0)).toMatchObject({ 'enclave.cache.hit': true, 'enclave.cache.match': 'semantic' });
    // The question's embedding is metered (outside the step key); the answer is a zero-cost cached row.
    const ledger = await ledgerOf(above.id);
    expect(ledger.filter((r) => r.task_type === 'chat')).toEqual([{ step_index: 0, task_type: 'chat', cost_usd: '0.0000000000', input_tokens: 0, output_tokens: 0, cached: true }]);
    expect(ledger.filter((r) => r.task_type === 'embedding')).toHaveLength(1);
  }, 120_000);

  it('clears the answers built on a knowledge base when a document is added or deleted', async () => {
    const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Store facts', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    await withWorkspace(a.workspace.id, (tx) => addPastedDocument(tx, ownerA, base.id, { name: 'Hours', text: 'The store opens at nine and closes at six.' }));
    await ingestQueued();
    const agent = await agentWith('Knows the store', EXACT, { ids: [base.id], mode: 'automatic' });
    const question = 'When does the store open?';

    const first = await runToEnd(agent.id, question);
    expect(first.steps.map((s) => s.kind)).toEqual(['tool', 'model']);
    expect((await runToEnd(agent.id, question)).steps[1]!.cacheHit).toEqual({ match: 'exact', similarity: 1 });
    expect(await entriesOfAgent(agent.id)).toBe(1);

    const added = await withWorkspace(a.workspace.id, (tx) => addPastedDocument(tx, ownerA, base.id, { name: 'Holidays', text: 'On holidays the store opens at ten.' }));
    await ingestQueued();
    expect(await entriesOfAgent(agent.id)).toBe(0);
    expect((await runToEnd(agent.id, question)).steps[1]!.cacheHit).toBeNull();
    expect((await runToEnd(agent.id, question)).steps[1]!.cacheHit).toEqual({ match: 'exact', similarity: 1 });

    await withWorkspace(a.workspace.id, (tx) => deleteDocument(tx, ownerA, added.id));
    expect(await entriesOfAgent(agent.id)).toBe(0);
    expect((await runToEnd(agent.id, question)).steps[1]!.cacheHit).toBeNull();
  }, 180_000);
});
