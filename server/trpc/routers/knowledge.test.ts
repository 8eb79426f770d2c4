// The knowledge procedures as a client calls them: two workspaces add the same
// text and ask the same question, and neither search returns the other's chunks,
// even when naming the other's knowledge base; bad input is a BAD_REQUEST with a
// message for the user; a document deleted through the procedure is never found again.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../../env';
import { defaultGateway } from '../../llm/default-gateway';
import { startLocalModelServer, type LocalModelServer } from '../../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../../net/node-egress-adapters';
import { claimNextDocument } from '../../knowledge/ingestion-claim';
import { ingestDocument } from '../../knowledge/ingest-document';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../../testing/two-workspaces';
import { createContext, type SessionUser } from '../context';
import { createCaller } from '../root';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let model: LocalModelServer;
const as = (user: SessionUser) => createCaller(createContext(user));
const TEXT = '# Parking\n\nVisitors park in the north garage; the barrier code is given at reception.';

async function ingestQueued() {
  for (;;) {
    const claimed = await claimNextDocument('procedure-test', 30_000);
    if (!claimed) return;
    await ingestDocument({ gateway: defaultGateway(), egressAdapters: nodeEgressAdapters, workerId: 'procedure-test', leaseMs: 30_000, batchSize: 8 }, claimed);
  }
}

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const bases: Record<'a' | 'b', string> = { a: '', b: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  model = await startLocalModelServer({ port: 0 });
  setRuntimeEnv({ LOCAL_MODEL_PORT: new URL(model.url).port, LOCAL_MODEL_HOST: '127.0.0.1' });
  for (const [key, t] of [['a', a], ['b', b]] as const) {
    const caller = as(t.owner);
    const base = await caller.knowledge.create({ workspaceId: t.workspace.id, name: 'Office', embeddingModel: 'enclave-local-embed' });
    await caller.knowledge.addText({ workspaceId: t.workspace.id, knowledgeBaseId: base.id, name: 'Parking', text: TEXT });
    bases[key] = base.id;
  }
  await ingestQueued();
}, 180_000);

afterAll(async () => {
  await model?.stop();
  await db?.stop();
});

describe('knowledge procedures', () => {
  it("search returns only the caller's workspace's chunks for the same question", async () => {
    const fromA = await as(a.owner).knowledge.search({ workspaceId: a.workspace.id, query: 'where do visitors park', limit: 20 });
    const fromB = await as(b.owner).knowledge.search({ workspaceId: b.workspace.id, query: 'where do visitors park', limit: 20 });
    expect(fromA.hits.length).toBeGreaterThan(0);
    expect(fromA.hits.every((h) => h.knowledgeBaseId !== bases.b)).toBe(true);
    expect(fromB.hits.every((h) => h.knowledgeBaseId !== bases.a)).toBe(true);
    expect(fromA.hits[0]).toMatchObject({ knowledgeBaseId: bases.a, headingPath: ['Parking'] });
    const namingB = await as(a.owner).knowledge.search({ workspaceId: a.workspace.id, query: 'parking', knowledgeBaseIds: [bases.b] });
    expect(namingB.hits).toEqual([]);
  });

  it('refuses bad input with user-facing messages', async () => {
    const caller = as(a.owner);
    const empty = await failure(caller.knowledge.addText({ workspaceId: a.workspace.id, knowledgeBaseId: bases.a, name: 'x', text: '   ' }));
    expect(empty.code).toBe('BAD_REQUEST');
    expect(empty.message).toMatch(/Paste some text/);
    const ftp = await failure(caller.knowledge.addUrl({ workspaceId: a.workspace.id, knowledgeBaseId: bases.a, url: 'ftp://files.example.com/a.txt' }));
    expect(ftp.code).toBe('BAD_REQUEST');
    const png = await failure(
      caller.knowledge.addUpload({ workspaceId: a.workspace.id, knowledgeBaseId: bases.a, fileName: 'a.png', contentType: 'image/png', contentBase64: 'iVBORw0KGgo=' }),
    );
    expect(png.code).toBe('BAD_REQUEST');
    expect(png.message).toMatch(/not supported/);
    const noQuery = await failure(caller.knowledge.search({ workspaceId: a.workspace.id, query: ' ' }));
    expect(noQuery.code).toBe('BAD_REQUEST');
    const unknownModel = await failure(caller.knowledge.create({ workspaceId: a.workspace.id, name: 'Other', embeddingModel: 'text-embedding-3-small' }));
    expect(unknownModel.message).toMatch(/dimensions/);
  });

  it('never finds a document deleted through the procedure again', async () => {
    const caller = as(a.owner);
    const { documents } = await caller.knowledge.get({ workspaceId: a.workspace.id, knowledgeBaseId: bases.a });
    const parking = documents.find((d) => d.name === 'Parking')!;
    expect(parking).toMatchObject({ status: 'ready', chunkCount: 1 });
    await caller.knowledge.deleteDocument({ workspaceId: a.workspace.id, documentId: parking.id });
    const after = await caller.knowledge.search({ workspaceId: a.workspace.id, query: 'where do visitors park', limit: 20 });
    expect(after.hits.some((h) => h.documentId === parking.id)).toBe(false);
  });
});
