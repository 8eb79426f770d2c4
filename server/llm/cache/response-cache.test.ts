// The cache store against a real database: an entry is found only inside its whole
// scope — never from another workspace (even naming its id), another agent version
// or another end user — only before its TTL ends, semantically only at or above the
// threshold; forgetEndUserCache() removes exactly one end user's entries.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../../db/with-workspace';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../../testing/two-workspaces';
import { contextFingerprint, promptHash, questionHash, type CacheScope } from './cache-key';
import { exactCachedAnswer, forgetEndUserCache, similarCachedAnswer, storeCachedAnswer, type NewCacheEntry } from './response-cache';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
const now = new Date('2026-11-29T10:00:00Z');
const request = { promptHash: promptHash({ messages: [{ role: 'system', content: 'Answer briefly.' }], tools: [], temperature: 0.7, outputSchema: null }), questionHash: questionHash('Where is my parcel?') };
const embedding = { model: 'enclave-local-embed', vector: [1, 0, 0] };

const scopeOf = (t: SeededTenant, overrides: Partial<CacheScope> = {}): CacheScope => ({
  workspaceId: t.workspace.id,
  agentId: t.agent.id,
  agentVersion: 2,
  model: 'enclave-local-chat',
  contextFingerprint: contextFingerprint([], []),
  endUserId: null,
  ...overrides,
});

const entryOf = (t: SeededTenant, overrides: Partial<NewCacheEntry> = {}): NewCacheEntry => ({
  answer: `${t.workspace.name}: it ships tomorrow.`,
  provider: 'local',
  responseModel: 'enclave-local-chat',
  sourceRunId: t.run.id,
  ttlSeconds: 600,
  knowledgeBaseIds: [],
  embedding,
  ...overrides,
});

const exact = (t: SeededTenant, scope: CacheScope, at = now) => withWorkspace(t.workspace.id, (tx) => exactCachedAnswer(tx, scope, request, at));

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  await withWorkspace(a.workspace.id, (tx) => storeCachedAnswer(tx, scopeOf(a), request, entryOf(a), now));
  await withWorkspace(b.workspace.id, (tx) => storeCachedAnswer(tx, scopeOf(b), request, entryOf(b), now));
}, 120_000);
afterAll(async () => db?.stop());

describe('response cache entries', () => {
  it('finds the entry by its exact key, the question normalised', async () => {
    expect(await exact(a, scopeOf(a))).toMatchObject({ answer: `${a.workspace.name}: it ships tomorrow.`, match: 'exact', similarity: 1, sourceRunId: a.run.id });
    expect(questionHash('  where IS my   parcel? ')).toBe(request.questionHash);
    expect(questionHash('Where is my order?')).not.toBe(request.questionHash);
  });

  it("is never served across workspaces: B's context cannot see A's entry, even with A's ids", async () => {
    expect(await exact(b, scopeOf(a))).toBeNull();
    expect(await withWorkspace(b.workspace.id, (tx) => similarCachedAnswer(tx, scopeOf(a), request, embedding, 0, now))).toBeNull();
    expect((await exact(b, scopeOf(b)))!.answer).toBe(`${b.workspace.name}: it ships tomorrow.`);
    // And an entry cannot point at another workspace's version or run.
    await expect(withWorkspace(b.workspace.id, (tx) => storeCachedAnswer(tx, scopeOf(b, { agentId: a.agent.id }), request, entryOf(b), now))).rejects.toThrow(
      /response_cache_entries_version_fkey/,
    );
    await expect(withWorkspace(b.workspace.id, (tx) => storeCachedAnswer(tx, scopeOf(b), request, entryOf(b, { sourceRunId: a.run.id }), now))).rejects.toThrow(
      /response_cache_entries_run_fkey/,
    );
  });

  it('is never served to another agent version, model or retrieved context', async () => {
    expect(await exact(a, scopeOf(a, { agentVersion: 1 }))).toBeNull();
    expect(await exact(a, scopeOf(a, { model: 'enclave-local-utility' }))).toBeNull();
    expect(await exact(a, scopeOf(a, { contextFingerprint: contextFingerprint([a.knowledgeBase.id], [{ passages: [] }]) }))).toBeNull();
    expect(await withWorkspace(a.workspace.id, (tx) => similarCachedAnswer(tx, scopeOf(a, { agentVersion: 1 }), request, embedding, 0, now))).toBeNull();
  });

  it('is never served to another end user, and forgetting an end user deletes only their entries', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    await withWorkspace(a.workspace.id, (tx) => storeCachedAnswer(tx, scopeOf(a, { endUserId: alice }), request, entryOf(a, { answer: 'For Alice' }), now));
    await withWorkspace(a.workspace.id, (tx) => storeCachedAnswer(tx, scopeOf(a, { endUserId: bob }), request, entryOf(a, { answer: 'For Bob' }), now));
    expect((await exact(a, scopeOf(a, { endUserId: alice })))!.answer).toBe('For Alice');
    expect((await exact(a, scopeOf(a, { endUserId: bob })))!.answer).toBe('For Bob');
    expect(await exact(a, scopeOf(a, { endUserId: randomUUID() }))).toBeNull();
    expect((await exact(a, scopeOf(a)))!.answer).not.toMatch(/Alice|Bob/);
    expect(await withWorkspace(a.workspace.id, (tx) => similarCachedAnswer(tx, scopeOf(a, { endUserId: randomUUID() }), request, embedding, 0, now))).toBeNull();

    expect(await withWorkspace(b.workspace.id, (tx) => forgetEndUserCache(tx, a.workspace.id, alice))).toBe(0);
    expect(await withWorkspace(a.workspace.id, (tx) => forgetEndUserCache(tx, a.workspace.id, alice))).toBe(1);
    expect(await exact(a, scopeOf(a, { endUserId: alice }))).toBeNull();
    expect((await exact(a, scopeOf(a, { endUserId: bob })))!.answer).toBe('For Bob');
  });

  it('expires after its TTL, and storing drops expired entries', async () => {
    const scope = scopeOf(a, { model: 'ttl-model' });
    await withWorkspace(a.workspace.id, (tx) => storeCachedAnswer(tx, scope, request, entryOf(a, { ttlSeconds: 60 }), now));
    expect(await exact(a, scope, new Date(now.getTime() + 59_000))).not.toBeNull();
    expect(await exact(a, scope, new Date(now.getTime() + 60_000))).toBeNull();
    expect(await withWorkspace(a.workspace.id, (tx) => similarCachedAnswer(tx, scope, request, embedding, 0, new Date(now.getTime() + 61_000)))).toBeNull();
    const later = new Date(now.getTime() + 61_000);
    await withWorkspace(a.workspace.id, (tx) => storeCachedAnswer(tx, scopeOf(a, { model: 'other' }), request, entryOf(a), later));
    const { rows } = await db.owner.query(`SELECT 1 FROM response_cache_entries WHERE model = 'ttl-model'`);
    expect(rows).toHaveLength(0);
  });

  it('matches semantically at or above the threshold only, with the same embedding model', async () => {
    const scope = scopeOf(a, { model: 'semantic-model' });
    await withWorkspace(a.workspace.id, (tx) => storeCachedAnswer(tx, scope, request, entryOf(a, { answer: 'Semantic' }), now));
    const near = { model: embedding.model, vector: [0.8, 0.6, 0] }; // cosine 0.8 with [1, 0, 0]
    const find = (threshold: number, probe = near) =>
      withWorkspace(a.workspace.id, (tx) => similarCachedAnswer(tx, scope, { promptHash: request.promptHash }, probe, threshold, now));
    expect(await find(0.79)).toMatchObject({ answer: 'Semantic', match: 'semantic' });
    expect((await find(0.79))!.similarity).toBeCloseTo(0.8, 6);
    expect(await find(0.81)).toBeNull();
    expect(await find(0.5, { model: 'another-embedding-model', vector: [1, 0, 0] })).toBeNull();
    expect(await withWorkspace(a.workspace.id, (tx) => similarCachedAnswer(tx, scope, { promptHash: 'other prompt' }, near, 0, now))).toBeNull();
  });
});
