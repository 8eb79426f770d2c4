// Plan limits other than the per-minute ones, against a real database: knowledge
// storage refused at upload and at ingestion, the plan's run caps over the agent
// version's, the operator's audited change of plan and overrides, and the limits
// page's figures — each for one workspace without touching the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunContext } from '../agents/run-context';
import { startRun } from '../agents/runs';
import { withWorkspace } from '../db/with-workspace';
import { InvalidInput, LimitExceeded } from '../domain-errors';
import { addPastedDocument } from '../knowledge/knowledge-documents';
import { claimNextDocument } from '../knowledge/ingestion-claim';
import { ingestDocument } from '../knowledge/ingest-document';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway } from '../testing/local-model-tenants';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { LIMIT_FIELDS, type LimitOverrides } from './limit-fields';
import { setWorkspaceLimits } from './limit-settings';
import { knowledgeStorageUsed } from './knowledge-storage';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;
let model: LocalModelServer;
let gateway: Gateway;
const operator = { id: '', email: 'operator@limits.test', name: 'Operator', isOperator: true };

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  ownerA = { userId: a.owner.id, workspaceId: a.workspace.id, role: 'owner' };
  ownerB = { userId: b.owner.id, workspaceId: b.workspace.id, role: 'owner' };
  operator.id = b.member.id;
  model = await startLocalModelServer({ port: 0 });
  gateway = localModelGateway(model.url);
}, 120_000);

afterAll(async () => {
  await model?.stop();
  await db?.stop();
});

function overrides(values: Partial<LimitOverrides>): LimitOverrides {
  return { ...(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, null])) as LimitOverrides), ...values };
}

async function setLimits(t: SeededTenant, values: Partial<LimitOverrides>, plan: 'free' | 'pro' | 'enterprise' = 'free') {
  await withWorkspace(t.workspace.id, (tx) =>
    setWorkspaceLimits(tx, { workspaceId: t.workspace.id, operatorUserId: operator.id, plan, overrides: overrides(values) }),
  );
}

const storageOf = (t: SeededTenant) => withWorkspace(t.workspace.id, (tx) => knowledgeStorageUsed(tx, t.workspace.id));
const paste = (actor: Actor, t: SeededTenant, name: string, text: string) =>
  withWorkspace(actor.workspaceId, (tx) => addPastedDocument(tx, actor, t.knowledgeBase.id, { name, text }));

async function ingestQueued(): Promise<void> {
  for (;;) {
    const claimed = await claimNextDocument('limits-test', 30_000);
    if (!claimed) return;
    await ingestDocument({ gateway, egressAdapters: nodeEgressAdapters, workerId: 'limits-test', leaseMs: 30_000, batchSize: 8 }, claimed);
  }
}

/** Paragraphs enough for several 300-token chunks. */
const LONG_TEXT = Array.from({ length: 12 }, (_, i) => `## Section ${i + 1}\n\n${`Shipping rule ${i + 1} covers parcels, returns and refunds in detail. `.repeat(40)}`).join('\n\n');

describe('knowledge storage', () => {
  it('refuses an upload whose bytes do not fit, with a message naming the limit', async () => {
    await ingestQueued();
    const used = await storageOf(a);
    await setLimits(a, { knowledgeMaxBytes: used.bytes + 100 });
    const refused = await paste(ownerA, a, 'Too big', 'x'.repeat(200)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LimitExceeded);
    expect((refused as LimitExceeded).message).toMatch(/^Knowledge storage is full: .* limit and this document needs/);
    const fits = await paste(ownerA, a, 'Small', 'A short note about refunds.');
    expect(fits.status).toBe('queued');
    // The other workspace stores as before.
    expect((await paste(ownerB, b, 'B note', 'x'.repeat(200))).status).toBe('queued');
  });

  it('fails an ingestion whose chunks do not fit, leaving none of them, and then refuses uploads while full', async () => {
    await ingestQueued();
    const used = await storageOf(a);
    await setLimits(a, { knowledgeMaxChunks: used.chunks + 1 });
    const doc = await paste(ownerA, a, 'Shipping handbook', LONG_TEXT);
    await ingestQueued();
    const { rows } = await db.owner.query<{ status: string; failure_reason: string; chunks: string }>(
      `SELECT status, failure_reason, (SELECT count(*) FROM knowledge_chunks c WHERE c.document_id = d.id) AS chunks FROM knowledge_documents d WHERE id = $1`,
      [doc.id],
    );
    expect(rows[0]).toMatchObject({ status: 'failed', chunks: '0' });
    expect(rows[0]!.failure_reason).toMatch(new RegExp(`Knowledge storage is full: this workspace has ${used.chunks} of its ${used.chunks + 1} chunks and this document needs \\d+ more`));
    expect((await storageOf(a)).chunks).toBe(used.chunks);

    await setLimits(a, { knowledgeMaxChunks: used.chunks });
    await expect(paste(ownerA, a, 'One more', 'Anything at all.')).rejects.toThrow(/Knowledge storage is full: this workspace has \d+ of its \d+ chunks\./);
    await expect(paste(ownerB, b, 'B still fine', 'Anything at all.')).resolves.toMatchObject({ status: 'queued' });
  }, 60_000);
});

describe('run caps', () => {
  it("lower the version's max steps and run duration to the plan's when it allows less", async () => {
    await setLimits(a, { maxSteps: 3, maxRunDurationMs: 5_000 });
    const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: a.agent.id, input: 'capped' }));
    const before = Date.now();
    const context = await loadRunContext(a.workspace.id, run.id, { firstClaim: true });
    expect(context.version.maxSteps).toBe(3);
    expect(context.version.maxRunSeconds).toBe(5);
    expect(context.planCapped).toEqual({ maxSteps: true, maxRunSeconds: true });
    expect(context.deadline.getTime() - before).toBeLessThanOrEqual(5_000 + 1_000);

    const runB = await withWorkspace(b.workspace.id, (tx) => startRun(tx, ownerB, { agentId: b.agent.id, input: 'not capped' }));
    const contextB = await loadRunContext(b.workspace.id, runB.id, { firstClaim: true });
    expect(contextB.planCapped).toEqual({ maxSteps: false, maxRunSeconds: false });
    expect(contextB.deadline.getTime() - Date.now()).toBeGreaterThan(30_000);
  });
});

describe('the operator', () => {
  it("sets a workspace's plan and overrides, audited in that workspace only", async () => {
    const caller = createCaller(createContext(operator));
    const result = await caller.limits.set({ workspaceId: b.workspace.id, plan: 'pro', overrides: overrides({ runsPerMinute: 5 }) });
    expect(result).toMatchObject({ plan: 'pro', overrides: { runsPerMinute: 5, tokensPerMinute: null } });
    const audit = await db.owner.query<{ workspace_id: string; metadata: { plan: unknown; overrides: Record<string, unknown> } }>(
      `SELECT workspace_id, metadata FROM audit_events WHERE action = 'limits.changed' AND actor_user_id = $1 AND workspace_id = $2 ORDER BY created_at DESC LIMIT 1`,
      [operator.id, b.workspace.id],
    );
    expect(audit.rows[0]!.metadata).toMatchObject({ plan: { before: 'free', after: 'pro' }, overrides: { runsPerMinute: { before: 77, after: 5 } } });
    const settings = await caller.limits.settings({ workspaceId: b.workspace.id });
    expect(settings.plan).toBe('pro');
    expect(settings.plans.map((p) => p.id)).toEqual(['free', 'pro', 'enterprise']);
    const directory = await caller.limits.directory({ search: b.workspace.slug });
    expect(directory.workspaces.find((w) => w.id === b.workspace.id)).toMatchObject({ plan: 'pro', overrides: { runsPerMinute: 5 } });
  });

  it('is refused a non-positive override with the field named, and a tenant cannot change limits at all', async () => {
    const refused = await withWorkspace(b.workspace.id, (tx) =>
      setWorkspaceLimits(tx, { workspaceId: b.workspace.id, operatorUserId: operator.id, plan: 'pro', overrides: overrides({ maxSteps: 0 }) }),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInput);
    expect((refused as InvalidInput).field).toBe('maxSteps');
    await expect(createCaller(createContext(a.owner)).limits.set({ workspaceId: a.workspace.id, plan: 'enterprise', overrides: overrides({}) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the limits page figures', () => {
  it("show the workspace's plan, this minute's counters and what it stores, to every member", async () => {
    await setLimits(b, { runsPerMinute: 50 }, 'pro');
    await withWorkspace(b.workspace.id, (tx) => startRun(tx, ownerB, { agentId: b.agent.id, input: 'counted' }));
    const usage = await createCaller(createContext(b.member)).limits.usage({ workspaceId: b.workspace.id });
    expect(usage.planName).toBe('Pro');
    const runs = usage.usage.find((u) => u.key === 'runsPerMinute')!;
    expect(runs.limit).toBe(50);
    expect(runs.used).toBeGreaterThanOrEqual(1);
    const storage = await storageOf(b);
    expect(usage.usage.find((u) => u.key === 'knowledgeMaxChunks')).toMatchObject({ used: storage.chunks, limit: 500_000 });
    expect(usage.usage.find((u) => u.key === 'knowledgeMaxBytes')).toMatchObject({ used: storage.bytes, unit: 'bytes' });
    expect(usage.usage.find((u) => u.key === 'concurrentRuns')).toMatchObject({ limit: 10 });
    expect(usage.perRun).toEqual({ maxRunDurationMs: 600_000, maxSteps: 50 });
  });
});
