// Usage aggregates read back from the ledger: totals, per day (zeros included),
// per model and per agent, within the period, and only the caller's workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { recordUsage } from './usage-ledger';
import { usageSummary } from './usage-summary';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
const now = new Date();
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

async function row(workspaceId: string, fields: { model: string; input: number; output: number; cost: number; at: Date; agentId?: string; status?: string; cached?: boolean }) {
  await db.owner.query(
    `INSERT INTO usage_events (workspace_id, agent_id, provider, model, task_type, input_tokens, output_tokens, cost_usd, price_known, latency_ms, status, created_at, cached)
     VALUES ($1, $2, 'local', $3, 'chat', $4, $5, $6, true, 3, $7, $8, $9)`,
    [workspaceId, fields.agentId ?? null, fields.model, fields.input, fields.output, fields.cost, fields.status ?? 'ok', fields.at, fields.cached ?? false],
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  await db.owner.query(`DELETE FROM usage_events`);
  await row(a.workspace.id, { model: 'enclave-local-chat', input: 100, output: 20, cost: 0.001, at: daysAgo(0), agentId: a.agent.id });
  await row(a.workspace.id, { model: 'enclave-local-chat', input: 50, output: 10, cost: 0.0005, at: daysAgo(2), agentId: a.agent.id });
  await row(a.workspace.id, { model: 'gpt-4o-mini', input: 10, output: 0, cost: 0, at: daysAgo(2), status: 'error' });
  await row(a.workspace.id, { model: 'gpt-4o-mini', input: 1000, output: 1000, cost: 1, at: daysAgo(40) });
  await row(b.workspace.id, { model: 'enclave-local-chat', input: 7777, output: 7777, cost: 7, at: daysAgo(1) });
});
afterAll(async () => db?.stop());

describe('usage summary', () => {
  it('adds up the period, per day with zeros, per model and per agent', async () => {
    const summary = await withWorkspace(a.workspace.id, (tx) => usageSummary(tx, a.workspace.id, '7d', now));
    expect(summary.totals).toEqual({ inputTokens: 160, outputTokens: 30, costUsd: 0.0015, calls: 3, errors: 1, unpricedCalls: 0 });
    expect(summary.byDay).toHaveLength(7);
    expect(summary.byDay.at(-1)).toMatchObject({ day: now.toISOString().slice(0, 10), inputTokens: 100, calls: 1 });
    expect(summary.byDay.at(-2)).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 });
    expect(summary.byDay.at(-3)).toMatchObject({ inputTokens: 60, outputTokens: 10, calls: 2, errors: 1 });
    expect(summary.byModel).toEqual([
      { provider: 'local', model: 'enclave-local-chat', inputTokens: 150, outputTokens: 30, costUsd: 0.0015, calls: 2, errors: 0 },
      { provider: 'local', model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 0, costUsd: 0, calls: 1, errors: 1 },
    ]);
    expect(summary.byAgent).toEqual([
      { agentId: a.agent.id, agentName: a.agent.name, inputTokens: 150, outputTokens: 30, costUsd: 0.0015, calls: 2, errors: 0 },
      { agentId: null, agentName: null, inputTokens: 10, outputTokens: 0, costUsd: 0, calls: 1, errors: 1 },
    ]);
  });

  it('reports the response cache hit rate (cached chat rows / chat calls), for the period and per agent', async () => {
    const before = await withWorkspace(a.workspace.id, (tx) => usageSummary(tx, a.workspace.id, '7d', now));
    expect(before.cache).toEqual({ calls: 3, hits: 0, hitRate: 0, byAgent: [{ agentId: a.agent.id, agentName: a.agent.name, calls: 2, hits: 0, hitRate: 0 }] });
    await row(a.workspace.id, { model: 'enclave-local-chat', input: 0, output: 0, cost: 0, at: daysAgo(0), agentId: a.agent.id, cached: true });
    await row(b.workspace.id, { model: 'enclave-local-chat', input: 0, output: 0, cost: 0, at: daysAgo(0), agentId: b.agent.id, cached: true });
    const after = await withWorkspace(a.workspace.id, (tx) => usageSummary(tx, a.workspace.id, '7d', now));
    expect(after.cache).toEqual({ calls: 4, hits: 1, hitRate: 0.25, byAgent: [{ agentId: a.agent.id, agentName: a.agent.name, calls: 3, hits: 1, hitRate: 1 / 3 }] });
    expect(after.totals.costUsd).toBe(0.0015);
    await db.owner.query(`DELETE FROM usage_events WHERE cached`);
  });

  it('widens with the period', async () => {
    const summary = await withWorkspace(a.workspace.id, (tx) => usageSummary(tx, a.workspace.id, '90d', now));
    expect(summary.byDay).toHaveLength(90);
    expect(summary.totals).toMatchObject({ inputTokens: 1160, calls: 4 });
  });

  it("never counts another workspace's calls, even when asked for its id", async () => {
    const ownOnly = await withWorkspace(b.workspace.id, (tx) => usageSummary(tx, b.workspace.id, '7d', now));
    expect(ownOnly.totals).toMatchObject({ inputTokens: 7777, calls: 1 });
    const crossed = await withWorkspace(a.workspace.id, (tx) => usageSummary(tx, b.workspace.id, '7d', now));
    expect(crossed.totals.calls).toBe(0);
  });

  it('appends through the ledger and marks unpriced models', async () => {
    await recordUsage({ workspaceId: a.workspace.id, providerId: null, provider: 'local', model: 'mystery', taskType: 'utility', inputTokens: 5, outputTokens: 5, costUsd: 0, priceKnown: false, latencyMs: 1, status: 'ok' });
    const summary = await withWorkspace(a.workspace.id, (tx) => usageSummary(tx, a.workspace.id, '7d', now));
    expect(summary.totals).toMatchObject({ calls: 4, unpricedCalls: 1 });
  });
});
