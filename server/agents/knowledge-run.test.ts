// Runs that use knowledge bases, against a real database and the local model over
// HTTP: automatic retrieval writes a cited knowledge_search step before the first
// model call and the answer quotes the passage; in tool mode the model calls
// knowledge_search and the step records the chunks it used; a version cannot name
// another workspace's knowledge base, and a run never retrieves the other's chunks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { claimNextDocument } from '../knowledge/ingestion-claim';
import { ingestDocument } from '../knowledge/ingest-document';
import { createKnowledgeBase } from '../knowledge/knowledge-bases';
import { addPastedDocument } from '../knowledge/knowledge-documents';
import { LOCAL_HASHED_EMBEDDING_MODEL } from '../knowledge/embedding-models';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { createAgent } from './agents';
import { claimNextRun } from './claim-order';
import { NEW_AGENT_DEFAULTS } from './new-agent-defaults';
import { executeRun } from './run-loop';
import { runById, startRun } from './runs';
import { createQuickJsSandbox } from './tools/javascript-sandbox';
import type { CitedPassage } from './tools/knowledge-search';

let db: TestDatabase;
let a: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;
let model: LocalModelServer;
let gateway: Gateway;
let baseA: string;
let baseB: string;
const sandbox = createQuickJsSandbox();

const REFUNDS = 'Opened lamps are refunded minus a fifteen percent restocking fee.';

async function ingestQueued() {
  for (;;) {
    const claimed = await claimNextDocument('kb-run-test', 30_000);
    if (!claimed) return;
    await ingestDocument({ gateway, egressAdapters: nodeEgressAdapters, workerId: 'kb-run-test', leaseMs: 30_000, batchSize: 8 }, claimed);
  }
}

async function agentWith(actor: Actor, name: string, knowledgeBaseIds: string[], knowledgeMode: 'automatic' | 'tool') {
  return withWorkspace(actor.workspaceId, (tx) =>
    createAgent(tx, actor, { ...NEW_AGENT_DEFAULTS, providerId: null, name, description: '', changeNote: '', systemPrompt: 'Answer from the passages.', variables: [], knowledgeBaseIds, knowledgeMode }),
  );
}

async function runToEnd(actor: Actor, agentId: string, input: string) {
  const started = await withWorkspace(actor.workspaceId, (tx) => startRun(tx, actor, { agentId, input }));
  const claimed = await claimNextRun('kb-run-worker', 30_000);
  expect(claimed?.id).toBe(started.id);
  await executeRun({ gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId: 'kb-run-worker', leaseMs: 30_000 }, claimed!);
  return withWorkspace(actor.workspaceId, (tx) => runById(tx, actor.workspaceId, started.id));
}

const passagesOf = (result: unknown) => (result as { passages: CitedPassage[] }).passages;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, ownerA, ownerB } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  gateway = localModelGateway(model.url);
  const text = `# Lamp policies\n\n## Refunds\n\nUnopened lamps can be returned within thirty days. ${REFUNDS}\n\n## Shipping\n\nOrders ship from Rotterdam within two business days.`;
  for (const [actor, label] of [[ownerA, 'A'], [ownerB, 'B']] as const) {
    const base = await withWorkspace(actor.workspaceId, (tx) => createKnowledgeBase(tx, actor, { name: 'Policies', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    await withWorkspace(actor.workspaceId, (tx) => addPastedDocument(tx, actor, base.id, { name: `Policies ${label}`, text }));
    if (label === 'A') baseA = base.id;
    else baseB = base.id;
  }
  await ingestQueued();
}, 180_000);

afterAll(async () => {
  await sandbox.close();
  await model?.stop();
  await db?.stop();
});

describe('a run with knowledge', () => {
  it('retrieves automatically before the first model call, records the cited chunks, and answers from them', async () => {
    const agent = await agentWith(ownerA, 'Auto', [baseA], 'automatic');
    const run = await runToEnd(ownerA, agent.id, 'What is the restocking fee for opened lamps?');
    expect(run.status).toBe('succeeded');
    const [retrieval, answer] = run.steps;
    expect(retrieval).toMatchObject({ kind: 'tool', toolName: 'knowledge_search', toolCallId: null, status: 'ok' });
    const passages = passagesOf(retrieval!.toolResult);
    expect(passages[0]).toMatchObject({ citation: 1, document: 'Policies A', section: 'Lamp policies › Refunds' });
    expect(passages[0]!.text).toContain(REFUNDS);
    expect(answer!.kind).toBe('model');
    expect(run.output).toContain('fifteen percent restocking fee');
    // The chunks cited are A's own.
    const { rows } = await db.owner.query(`SELECT workspace_id FROM knowledge_chunks WHERE id = ANY($1::uuid[])`, [passages.map((p) => p.chunkId)]);
    expect(rows.every((r: { workspace_id: string }) => r.workspace_id === a.workspace.id)).toBe(true);
  }, 60_000);

  it('in tool mode searches when the model calls knowledge_search, and the tool step records the passages', async () => {
    const agent = await agentWith(ownerA, 'By tool', [baseA], 'tool');
    const run = await runToEnd(ownerA, agent.id, 'use knowledge_search with query restocking fee');
    expect(run.status).toBe('succeeded');
    const toolStep = run.steps.find((s) => s.kind === 'tool');
    expect(toolStep).toMatchObject({ toolName: 'knowledge_search', status: 'ok' });
    expect(toolStep!.toolCallId).not.toBeNull();
    expect(passagesOf(toolStep!.toolResult)[0]!.text).toContain(REFUNDS);
    expect(run.output).toContain('restocking fee');
  }, 60_000);

  it("refuses a version naming another workspace's knowledge base", async () => {
    await expect(agentWith(ownerA, 'Borrower', [baseB], 'automatic')).rejects.toThrow(/no longer exists/);
  });

  it("B's run with the same documents cites only B's chunks", async () => {
    const agent = await agentWith(ownerB, 'Auto B', [baseB], 'automatic');
    const run = await runToEnd(ownerB, agent.id, 'What is the restocking fee for opened lamps?');
    const passages = passagesOf(run.steps[0]!.toolResult);
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.every((p) => p.document === 'Policies B' && p.knowledgeBaseId === baseB)).toBe(true);
  }, 60_000);
});
