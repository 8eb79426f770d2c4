// The ledger's references: a usage row can point only at a run and an agent of its
// own workspace (composite foreign keys, checked outside RLS), a run or agent with
// metered usage cannot be deleted from under the ledger, and deleting a workspace
// removes its ledger with the rest of its data and nothing of another workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { deleteWorkspace } from '../tenancy/workspaces';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { recordUsage, type UsageRecord } from './usage-ledger';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
}, 120_000);
afterAll(async () => db?.stop());

function usage(workspaceId: string, refs: Pick<UsageRecord, 'runId' | 'agentId' | 'stepIndex'>): UsageRecord {
  return {
    workspaceId,
    attempt: 1,
    providerId: null,
    provider: 'local',
    model: 'enclave-local-chat',
    taskType: 'chat',
    inputTokens: 3,
    outputTokens: 4,
    costUsd: 0,
    priceKnown: true,
    latencyMs: 1,
    status: 'ok',
    ...refs,
  };
}

async function ledgerCount(workspaceId: string): Promise<number> {
  const { rows } = await db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_events WHERE workspace_id = $1`, [workspaceId]);
  return rows[0]!.n;
}

describe('usage ledger references', () => {
  it("records a row for the workspace's own run and agent", async () => {
    expect(await recordUsage(usage(a.workspace.id, { runId: a.run.id, agentId: a.agent.id, stepIndex: 7 }))).toBe(true);
  });

  it("refuses a row pointing at another workspace's run or agent", async () => {
    const before = await ledgerCount(b.workspace.id);
    await expect(recordUsage(usage(b.workspace.id, { runId: a.run.id, agentId: b.agent.id, stepIndex: 1 }))).rejects.toThrow(/usage_events_run_fkey/);
    await expect(recordUsage(usage(b.workspace.id, { runId: b.run.id, agentId: a.agent.id, stepIndex: 1 }))).rejects.toThrow(/usage_events_agent_fkey/);
    await expect(recordUsage(usage(b.workspace.id, { runId: '6f1d0c1e-0000-4000-8000-000000000001', agentId: null, stepIndex: 1 }))).rejects.toThrow(
      /usage_events_run_fkey/,
    );
    expect(await ledgerCount(b.workspace.id)).toBe(before);
  });

  it('keeps a run or agent that has metered usage from being deleted on its own, even by the owner connection', async () => {
    await expect(db.owner.query(`DELETE FROM runs WHERE id = $1`, [a.run.id])).rejects.toThrow(/usage_events_run_fkey/);
    await expect(db.owner.query(`DELETE FROM agents WHERE id = $1`, [a.agent.id])).rejects.toThrow(/usage_events_(run|agent)_fkey/);
    const { rows } = await db.owner.query(`SELECT id FROM runs WHERE id = $1`, [a.run.id]);
    expect(rows).toHaveLength(1);
  });

  it('lets no app-role transaction rewrite or delete ledger rows', async () => {
    await expect(withWorkspace(a.workspace.id, (tx) => tx.$executeRaw`DELETE FROM usage_events`)).rejects.toThrow(/permission denied/);
    await expect(withWorkspace(a.workspace.id, (tx) => tx.$executeRaw`UPDATE usage_events SET run_id = NULL`)).rejects.toThrow(/permission denied/);
  });

  it("removes a deleted workspace's ledger with its runs and agents, and leaves the other workspace's alone", async () => {
    const bRows = await ledgerCount(b.workspace.id);
    expect(await ledgerCount(a.workspace.id)).toBeGreaterThan(0);
    await withWorkspace(a.workspace.id, (tx) => deleteWorkspace(tx, { userId: a.owner.id, workspaceId: a.workspace.id }, a.workspace.slug));
    expect(await ledgerCount(a.workspace.id)).toBe(0);
    const { rows } = await db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE workspace_id = $1`, [a.workspace.id]);
    expect(rows[0]!.n).toBe(0);
    expect(await ledgerCount(b.workspace.id)).toBe(bRows);
  });
});
