// Knowledge bases against a real database and the local model over HTTP: every
// format ingests from the repo's fixtures into cited chunks, a bad file is refused
// with nothing stored, retrieval finds the labelled passages (recall@5), deleted
// documents are never retrieved again, a model change re-embeds, a URL is fetched
// through the egress guard, and two workspaces holding the same documents never
// retrieve each other's chunks, by search or by SQL under withWorkspace().
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInput, LimitExceeded } from '../domain-errors';
import { withWorkspace } from '../db/with-workspace';
import { setPrivateEgress } from '../llm/egress-grants';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { LOCAL_HASHED_EMBEDDING_MODEL } from './embedding-models';
import { searchKnowledge } from './hybrid-search';
import { claimNextDocument } from './ingestion-claim';
import { ingestDocument } from './ingest-document';
import { changeEmbeddingModel, createKnowledgeBase, knowledgeBase } from './knowledge-bases';
import { addPastedDocument, addUploadedDocument, addUrlDocument, deleteDocument, documentsOfKnowledgeBase } from './knowledge-documents';

const FIXTURES = path.join(import.meta.dirname, 'test-fixtures');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;
let model: LocalModelServer;
let gateway: Gateway;
let site: Server;
let siteUrl: string;

/** Ingests everything queued (a worker would do the same in the background). */
async function ingestQueued(workerId = 'test-ingest'): Promise<void> {
  for (;;) {
    const claimed = await claimNextDocument(workerId, 30_000);
    if (!claimed) return;
    await ingestDocument({ gateway, egressAdapters: nodeEgressAdapters, workerId, leaseMs: 30_000, batchSize: 8 }, claimed);
  }
}

async function upload(actor: Actor, baseId: string, name: string, contentType: string) {
  return withWorkspace(actor.workspaceId, (tx) => addUploadedDocument(tx, actor, baseId, { bytes: fixture(name), contentType, fileName: name }));
}

async function search(actor: Actor, query: string, options: { knowledgeBaseIds?: string[]; documentIds?: string[]; limit?: number } = {}) {
  return searchKnowledge(gateway, { workspaceId: actor.workspaceId }, { query, ...options });
}

/**
 * A base on the hashed model with one document, searched once (so this process
 * remembers its model), then moved to the semantic model and re-embedded.
 */
async function baseMovedToSemantic(name: string, title: string, sentence: string) {
  const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name, embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
  await withWorkspace(a.workspace.id, (tx) => addPastedDocument(tx, ownerA, base.id, { name: title, text: `# ${title}\n${sentence}` }));
  await ingestQueued();
  expect((await search(ownerA, sentence, { knowledgeBaseIds: [base.id] })).hits[0]?.text).toContain(title);
  await withWorkspace(a.workspace.id, (tx) => changeEmbeddingModel(tx, ownerA, base.id, { embeddingModel: 'enclave-local-semantic' }));
  await ingestQueued();
  return base;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA, ownerB } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  gateway = localModelGateway(model.url, 60_000);
  site = createServer((req, res) => {
    if (req.url === '/faq.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><h1>Lighthouse FAQ</h1><p>The lighthouse lamp is lit every evening at dusk by the keeper.</p></body></html>');
    } else {
      res.writeHead(404).end('missing');
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  site?.close();
  await model?.stop();
  await db?.stop();
});

describe('ingestion', () => {
  it('ingests text, Markdown, HTML, PDF and DOCX fixtures into chunks that keep their heading paths', async () => {
    const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Formats', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    await upload(ownerA, base.id, 'opening-hours.txt', 'text/plain');
    await upload(ownerA, base.id, 'handbook.md', 'text/markdown');
    await upload(ownerA, base.id, 'ferry.html', 'text/html');
    await upload(ownerA, base.id, 'greenhouse.pdf', 'application/pdf');
    await upload(ownerA, base.id, 'expenses.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    await ingestQueued();
    const docs = await withWorkspace(a.workspace.id, (tx) => documentsOfKnowledgeBase(tx, a.workspace.id, base.id));
    expect(docs.map((d) => [d.name, d.status, d.progress, d.failureReason]).sort()).toEqual(
      ['expenses.docx', 'ferry.html', 'greenhouse.pdf', 'handbook.md', 'opening-hours.txt'].map((n) => [n, 'ready', 100, null]),
    );
    expect(docs.every((d) => d.chunkCount > 0)).toBe(true);
    const { rows } = await db.owner.query<{ name: string; heading_path: string[]; text: string }>(
      `SELECT d.name, c.heading_path, c.text FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
       WHERE c.knowledge_base_id = $1 ORDER BY d.name, c.position`,
      [base.id],
    );
    const chunkOf = (name: string, words: string) => rows.find((r) => r.name === name && r.text.includes(words));
    expect(chunkOf('expenses.docx', 'forty euros')?.heading_path).toEqual(['Expense policy', 'Meals']);
    expect(chunkOf('greenhouse.pdf', 'roof vents')?.heading_path).toEqual(['Greenhouse care guide', 'Ventilation']);
    expect(chunkOf('ferry.html', 'tandem')?.heading_path).toEqual(['Island ferry timetable', 'Bicycles']);
    expect(chunkOf('handbook.md', 'restocking fee')?.heading_path).toEqual(['Nimbus Lamp handbook', 'Refunds']);
    expect(chunkOf('opening-hours.txt', 'Saturdays')).toBeDefined();
    const hits = await search(ownerA, 'when does the first ferry leave', { knowledgeBaseIds: [base.id] });
    expect(hits.hits[0]?.documentName).toBe('ferry.html');
  }, 120_000);

  it('refuses a bad file with a clear message and stores nothing', async () => {
    const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Refusals', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    await expect(
      withWorkspace(a.workspace.id, (tx) => addUploadedDocument(tx, ownerA, base.id, { bytes: fixture('greenhouse.pdf'), contentType: 'text/plain', fileName: 'x.txt' })),
    ).rejects.toThrow(InvalidInput);
    await expect(
      withWorkspace(a.workspace.id, (tx) => addUploadedDocument(tx, ownerA, base.id, { bytes: new Uint8Array([1, 2]), contentType: 'image/png', fileName: 'x.png' })),
    ).rejects.toThrow(/not supported/);
    await expect(
      withWorkspace(a.workspace.id, (tx) =>
        addUploadedDocument(tx, ownerA, base.id, { bytes: new Uint8Array(6 * 1024 * 1024).fill(65), contentType: 'text/plain', fileName: 'big.txt' }),
      ),
    ).rejects.toThrow(LimitExceeded);
    expect(await withWorkspace(a.workspace.id, (tx) => documentsOfKnowledgeBase(tx, a.workspace.id, base.id))).toEqual([]);
  });

  it('fails a document whose content cannot be read, with its reason, and keeps ingesting others', async () => {
    const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Damaged', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    const damaged = fixture('greenhouse.pdf').slice(0, 200);
    await withWorkspace(a.workspace.id, (tx) => addUploadedDocument(tx, ownerA, base.id, { bytes: damaged, contentType: 'application/pdf', fileName: 'broken.pdf' }));
    await withWorkspace(a.workspace.id, (tx) => addPastedDocument(tx, ownerA, base.id, { name: 'Note', text: 'The pantry key hangs by the door.' }));
    await ingestQueued();
    const docs = await withWorkspace(a.workspace.id, (tx) => documentsOfKnowledgeBase(tx, a.workspace.id, base.id));
    expect(docs.find((d) => d.name === 'broken.pdf')).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/could not be read|damaged/i) });
    expect(docs.find((d) => d.name === 'Note')).toMatchObject({ status: 'ready', chunkCount: 1 });
  });

  it('fetches a URL through the egress guard: refused on a private address until the operator grants it', async () => {
    const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Web', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    const refused = await withWorkspace(a.workspace.id, (tx) => addUrlDocument(tx, ownerA, base.id, { url: `${siteUrl}/faq.html` }));
    await ingestQueued();
    let docs = await withWorkspace(a.workspace.id, (tx) => documentsOfKnowledgeBase(tx, a.workspace.id, base.id));
    expect(docs.find((d) => d.id === refused.id)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/private|not allowed|refused/i) });

    await withWorkspace(a.workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: a.workspace.id, allowed: true, operatorUserId: a.owner.id }));
    try {
      const fetched = await withWorkspace(a.workspace.id, (tx) => addUrlDocument(tx, ownerA, base.id, { url: `${siteUrl}/faq.html`, name: 'FAQ' }));
      await ingestQueued();
      docs = await withWorkspace(a.workspace.id, (tx) => documentsOfKnowledgeBase(tx, a.workspace.id, base.id));
      expect(docs.find((d) => d.id === fetched.id)).toMatchObject({ status: 'ready', format: 'html', chunkCount: 1 });
      const hits = await search(ownerA, 'lighthouse lamp', { knowledgeBaseIds: [base.id] });
      expect(hits.hits[0]?.headingPath).toEqual(['Lighthouse FAQ']);
    } finally {
      await withWorkspace(a.workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: a.workspace.id, allowed: false, operatorUserId: a.owner.id }));
    }
  });

  it('meters the embedding calls in the usage ledger', async () => {
    const { rows } = await db.owner.query<{ n: string }>(
      `SELECT count(*) AS n FROM usage_events WHERE workspace_id = $1 AND task_type = 'embedding' AND status = 'ok'`,
      [a.workspace.id],
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});

/** Labelled questions on the handbook: the heading whose passage answers each. */
const LABELLED: [string, string][] = [
  ['How long does it take to charge the lamp?', 'Charging'],
  ['How many hours does the battery last?', 'Battery life'],
  ['Can I get my money back if I opened the box?', 'Refunds'],
  ['Is water damage covered by the guarantee?', 'Warranty'],
  ['How should I clean the shade?', 'Cleaning'],
  ['How do I connect the lamp to my phone over Bluetooth?', 'Pairing with the app'],
  ['Where do orders ship from and how fast?', 'Shipping'],
  ['What does a blinking white ring mean?', 'Firmware updates'],
];

describe('retrieval', () => {
  let semanticBase: string;
  let handbookA: string;

  beforeAll(async () => {
    // The default model: the semantic sentence encoder.
    const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Handbook' }));
    expect(base.embeddingModel).toBe('enclave-local-semantic');
    expect(base.dimension).toBe(512);
    semanticBase = base.id;
    handbookA = (await upload(ownerA, base.id, 'handbook.md', 'text/markdown')).id;
    await upload(ownerA, base.id, 'ferry.html', 'text/html');
    await ingestQueued();
  }, 180_000);

  it('finds the labelled passage in the top 5 for every known question (recall@5 = 1)', async () => {
    let found = 0;
    for (const [question, heading] of LABELLED) {
      const result = await search(ownerA, question, { knowledgeBaseIds: [semanticBase] });
      expect(result.strategy).toBe('exact');
      if (result.hits.slice(0, 5).some((h) => h.headingPath.at(-1) === heading)) found++;
    }
    expect(found / LABELLED.length).toBe(1);
  }, 60_000);

  it('reports both ranks of a fused hit and filters by document', async () => {
    const result = await search(ownerA, 'restocking fee refund', { knowledgeBaseIds: [semanticBase] });
    const top = result.hits[0]!;
    expect(top.headingPath.at(-1)).toBe('Refunds');
    expect(top.vectorRank).toBeGreaterThan(0);
    expect(top.textRank).toBe(1);
    expect(top.similarity).toBeGreaterThan(0);
    const onlyFerry = await search(ownerA, 'restocking fee refund', { documentIds: result.hits.filter((h) => h.documentName === 'ferry.html').map((h) => h.documentId) });
    expect(onlyFerry.hits.every((h) => h.documentName === 'ferry.html')).toBe(true);
  });

  it('re-embeds in the background when the model changes, and searches only current-model chunks', async () => {
    const base = await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Switching', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }));
    await withWorkspace(a.workspace.id, (tx) => addPastedDocument(tx, ownerA, base.id, { name: 'Bikes', text: '# Bikes\nBicycle helmets are lent at the front desk.' }));
    await ingestQueued();
    const changed = await withWorkspace(a.workspace.id, (tx) => changeEmbeddingModel(tx, ownerA, base.id, { embeddingModel: 'enclave-local-semantic' }));
    expect(changed.requeued).toBe(1);
    expect((await withWorkspace(a.workspace.id, (tx) => documentsOfKnowledgeBase(tx, a.workspace.id, base.id)))[0]!.status).toBe('queued');
    // Until re-embedded, the old chunks are not searched.
    expect((await search(ownerA, 'helmets', { knowledgeBaseIds: [base.id] })).hits).toEqual([]);
    await ingestQueued();
    const hits = await search(ownerA, 'where can I borrow a helmet', { knowledgeBaseIds: [base.id] });
    expect(hits.hits[0]?.text).toContain('helmets');
    const { rows } = await db.owner.query(`SELECT DISTINCT embedding_model, dimension FROM knowledge_chunks WHERE knowledge_base_id = $1`, [base.id]);
    expect(rows).toEqual([{ embedding_model: 'enclave-local-semantic', dimension: 512 }]);
    expect((await withWorkspace(a.workspace.id, (tx) => knowledgeBase(tx, a.workspace.id, base.id))).dimension).toBe(512);
  }, 60_000);

  it('embeds the query with the current model when a search follows a model change made elsewhere', async () => {
    const base = await baseMovedToSemantic('Remembered', 'Kayaks', 'Kayaks are rented by the hour at the boathouse.');
    const calls = async () => {
      const { rows } = await db.owner.query<{ model: string; n: number }>(
        `SELECT model, count(*)::int AS n FROM usage_events WHERE workspace_id = $1 AND task_type = 'embedding' GROUP BY model ORDER BY model`,
        [a.workspace.id],
      );
      return Object.fromEntries(rows.map((r) => [r.model, r.n]));
    };
    const before = await calls();
    const after = await search(ownerA, 'where can I rent a kayak', { knowledgeBaseIds: [base.id] });
    expect(after.hits[0]?.text).toContain('Kayaks');
    expect(after.hits[0]?.similarity).toBeGreaterThan(0);
    const made = await calls();
    // The remembered model's embedding was found stale inside the search transaction; the query was embedded again with the current one.
    expect((made[LOCAL_HASHED_EMBEDDING_MODEL] ?? 0) - (before[LOCAL_HASHED_EMBEDDING_MODEL] ?? 0)).toBe(1);
    expect((made['enclave-local-semantic'] ?? 0) - (before['enclave-local-semantic'] ?? 0)).toBe(1);
    // The next search embeds once, with the current model.
    await search(ownerA, 'kayak rental hours', { knowledgeBaseIds: [base.id] });
    const next = await calls();
    expect(next[LOCAL_HASHED_EMBEDDING_MODEL]).toBe(made[LOCAL_HASHED_EMBEDDING_MODEL]);
    expect(next['enclave-local-semantic']).toBe(made['enclave-local-semantic']! + 1);
  }, 60_000);

  it('embeds with the current model when the remembered one can no longer be called', async () => {
    const base = await baseMovedToSemantic('Refused', 'Canoes', 'Canoes launch from the east jetty at dawn.');
    // As the gateway answers when no enabled provider of the workspace lists a model any more: refused before any request.
    const refused: string[] = [];
    const gone: Gateway = {
      ...gateway,
      embed: async (request) => {
        if (request.override?.model === LOCAL_HASHED_EMBEDDING_MODEL) {
          refused.push(request.override.model);
          throw new InvalidInput(`No enabled provider of this workspace lists the model ${request.override.model}`, 'model');
        }
        return gateway.embed(request);
      },
    };
    const result = await searchKnowledge(gone, { workspaceId: a.workspace.id }, { query: 'where do canoes launch', knowledgeBaseIds: [base.id] });
    expect(refused).toEqual([LOCAL_HASHED_EMBEDDING_MODEL]);
    expect(result.hits[0]?.text).toContain('Canoes');
    // A refusal for the model the workspace does use is the caller's to see.
    const down: Gateway = { ...gateway, embed: async () => Promise.reject(new InvalidInput('No enabled provider of this workspace lists the model', 'model')) };
    await expect(searchKnowledge(down, { workspaceId: a.workspace.id }, { query: 'canoes', knowledgeBaseIds: [base.id] })).rejects.toBeInstanceOf(InvalidInput);
  }, 60_000);

  it('never retrieves a deleted document again', async () => {
    const before = await search(ownerA, 'How should I clean the shade?', { knowledgeBaseIds: [semanticBase] });
    expect(before.hits.some((h) => h.documentId === handbookA)).toBe(true);
    await withWorkspace(a.workspace.id, (tx) => deleteDocument(tx, ownerA, handbookA));
    for (const [question] of LABELLED) {
      const after = await search(ownerA, question);
      expect(after.hits.some((h) => h.documentId === handbookA)).toBe(false);
    }
    const { rows } = await db.owner.query(`SELECT count(*)::int AS n FROM knowledge_chunks WHERE document_id = $1`, [handbookA]);
    expect(rows[0]).toEqual({ n: 0 });
  }, 60_000);
});

describe('two workspaces holding the same documents', () => {
  let baseA: string;
  let baseB: string;

  beforeAll(async () => {
    baseA = (await withWorkspace(a.workspace.id, (tx) => createKnowledgeBase(tx, ownerA, { name: 'Shared docs', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }))).id;
    baseB = (await withWorkspace(b.workspace.id, (tx) => createKnowledgeBase(tx, ownerB, { name: 'Shared docs', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL }))).id;
    await upload(ownerA, baseA, 'handbook.md', 'text/markdown');
    await upload(ownerB, baseB, 'handbook.md', 'text/markdown');
    await ingestQueued();
  }, 120_000);

  it('each retrieves only its own chunks for the same questions', async () => {
    const chunksOf = async (workspaceId: string) =>
      new Set((await db.owner.query<{ id: string }>(`SELECT id FROM knowledge_chunks WHERE workspace_id = $1`, [workspaceId])).rows.map((r) => r.id));
    const ownA = await chunksOf(a.workspace.id);
    const ownB = await chunksOf(b.workspace.id);
    for (const [question] of LABELLED) {
      const fromA = await search(ownerA, question, { limit: 20 });
      const fromB = await search(ownerB, question, { limit: 20 });
      expect(fromA.hits.length).toBeGreaterThan(0);
      expect(fromA.hits.every((h) => ownA.has(h.chunkId))).toBe(true);
      expect(fromB.hits.every((h) => ownB.has(h.chunkId))).toBe(true);
    }
  });

  it("cannot reach the other's base or documents by naming their ids", async () => {
    const named = await search(ownerA, 'refund', { knowledgeBaseIds: [baseB] });
    expect(named.hits).toEqual([]);
    const docsOfB = (await db.owner.query<{ id: string }>(`SELECT id FROM knowledge_documents WHERE workspace_id = $1`, [b.workspace.id])).rows.map((r) => r.id);
    expect((await search(ownerA, 'refund', { documentIds: docsOfB })).hits).toEqual([]);
    await expect(withWorkspace(a.workspace.id, (tx) => documentsOfKnowledgeBase(tx, a.workspace.id, baseB))).rejects.toThrow(/not found/);
  });

  it('sees only its own chunks through SQL under withWorkspace, even without a filter', async () => {
    const seen = await withWorkspace(a.workspace.id, (tx) =>
      tx.$queryRaw<{ workspace_id: string }[]>`SELECT DISTINCT workspace_id FROM (SELECT workspace_id FROM knowledge_chunks WHERE dimension = 384
        ORDER BY embedding <=> (SELECT embedding FROM knowledge_chunks WHERE dimension = 384 LIMIT 1)) AS nearest`,
    );
    expect(seen.map((r) => r.workspace_id)).toEqual([a.workspace.id]);
    const filteredForB = await withWorkspace(a.workspace.id, (tx) =>
      tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM knowledge_chunks WHERE workspace_id = ${b.workspace.id}::uuid`,
    );
    expect(filteredForB[0]!.n).toBe(0);
  });
});
