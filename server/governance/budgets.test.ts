// Budgets against a real database: managed and audited per workspace, a hard
// budget refuses a reservation that could overspend it (naming the budget) while
// a soft one only alerts at 50/80/100% once a month, an agent's budget binds only
// that agent, metering settles a reservation to the ledger's cost, the run's
// recovery and expiry release what dead calls held, and nothing crosses workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { BudgetExhausted, Conflict, NotFound } from '../domain-errors';
import { recordUsage } from '../llm/usage-ledger';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { releaseRunBudgetReservations, reserveCallBudget } from './budget-reservation';
import { budgetAlertsThisMonth, budgetBurnDown, budgetsOfWorkspace, createBudget, deleteBudget, updateBudget } from './budgets';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  ownerA = { userId: a.owner.id, workspaceId: a.workspace.id, role: 'owner' };
  ownerB = { userId: b.owner.id, workspaceId: b.workspace.id, role: 'owner' };
  // The seeded soft budgets are replaced by each test's own.
  for (const [t, actor] of [[a, ownerA], [b, ownerB]] as const) await withWorkspace(t.workspace.id, (tx) => deleteBudget(tx, actor, t.budget.id));
}, 120_000);

afterAll(async () => db?.stop());

/** A metered call as the gateway writes it after the model answered. */
async function meter(workspaceId: string, costUsd: number, reservationId: string | null, agentId: string | null = null) {
  await recordUsage({
    workspaceId,
    agentId,
    providerId: null,
    provider: 'local',
    model: 'enclave-local-chat',
    taskType: 'chat',
    inputTokens: 10,
    outputTokens: 10,
    costUsd,
    priceKnown: true,
    latencyMs: 5,
    status: 'ok',
    reservationId,
  });
}

async function budgetsOf(t: SeededTenant) {
  return withWorkspace(t.workspace.id, (tx) => budgetsOfWorkspace(tx, t.workspace.id));
}

async function auditActions(t: SeededTenant, prefix: string) {
  const { rows } = await db.owner.query<{ action: string; metadata: Record<string, unknown> }>(
    `SELECT action, metadata FROM audit_events WHERE workspace_id = $1 AND action LIKE $2 ORDER BY created_at, id`,
    [t.workspace.id, `${prefix}%`],
  );
  return rows;
}

async function ledgerSpend(workspaceId: string): Promise<number> {
  const { rows } = await db.owner.query<{ total: number }>(
    `SELECT coalesce(sum(cost_usd), 0)::float8 AS total FROM usage_events
     WHERE workspace_id = $1 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [workspaceId],
  );
  return rows[0]!.total;
}

describe('budgets', () => {
  it('are created, changed and deleted by managers, audited, one per scope, and start from the month’s ledger', async () => {
    const already = await ledgerSpend(a.workspace.id);
    expect(already).toBeGreaterThan(0);
    const created = await withWorkspace(a.workspace.id, (tx) =>
      createBudget(tx, ownerA, { name: 'Team spend', agentId: null, monthlyLimitUsd: 25, enforcement: 'hard' }),
    );
    expect(created).toMatchObject({ name: 'Team spend', agentId: null, monthlyLimitUsd: 25, enforcement: 'hard', reservedUsd: 0, alerts: [] });
    expect(created.spentUsd).toBeCloseTo(already, 10);
    await expect(
      withWorkspace(a.workspace.id, (tx) => createBudget(tx, ownerA, { name: 'Twice', agentId: null, monthlyLimitUsd: 5, enforcement: 'soft' })),
    ).rejects.toThrow(Conflict);
    // Another workspace's agent does not exist here.
    await expect(
      withWorkspace(a.workspace.id, (tx) => createBudget(tx, ownerA, { name: 'Theirs', agentId: b.agent.id, monthlyLimitUsd: 5, enforcement: 'soft' })),
    ).rejects.toThrow(NotFound);

    const changed = await withWorkspace(a.workspace.id, (tx) => updateBudget(tx, ownerA, created.id, { name: 'Team spend', monthlyLimitUsd: 30, enforcement: 'soft' }));
    expect(changed).toMatchObject({ monthlyLimitUsd: 30, enforcement: 'soft' });
    await expect(withWorkspace(b.workspace.id, (tx) => updateBudget(tx, ownerB, created.id, { name: 'x', monthlyLimitUsd: 1, enforcement: 'hard' }))).rejects.toThrow(NotFound);
    await expect(withWorkspace(b.workspace.id, (tx) => deleteBudget(tx, ownerB, created.id))).rejects.toThrow(NotFound);
    await withWorkspace(a.workspace.id, (tx) => deleteBudget(tx, ownerA, created.id));
    expect(await budgetsOf(a)).toEqual([]);

    const audited = (await auditActions(a, 'budget.')).map((r) => r.action);
    expect(audited.slice(-4)).toEqual(['budget.deleted', 'budget.created', 'budget.updated', 'budget.deleted']);
    const update = (await auditActions(a, 'budget.updated')).at(-1)!;
    expect(update.metadata).toMatchObject({ before: { monthlyLimitUsd: 25, enforcement: 'hard' }, after: { monthlyLimitUsd: 30, enforcement: 'soft' } });
  });

  it('refuses a reservation a hard budget has no room for, naming it, and settles a metered call to its ledger cost', async () => {
    const start = await ledgerSpend(a.workspace.id);
    const budget = await withWorkspace(a.workspace.id, (tx) =>
      createBudget(tx, ownerA, { name: 'Hard cap', agentId: null, monthlyLimitUsd: start + 0.01, enforcement: 'hard' }),
    );
    const first = await reserveCallBudget({ workspaceId: a.workspace.id }, 0.006, 60_000);
    expect(first).not.toBeNull();
    expect((await budgetsOf(a))[0]).toMatchObject({ reservedUsd: 0.006 });
    // 0.006 held + 0.006 asked > 0.01 of room: refused while the first call is in flight.
    const refused = await reserveCallBudget({ workspaceId: a.workspace.id }, 0.006, 60_000).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExhausted);
    expect((refused as BudgetExhausted).message).toContain('"Hard cap"');
    expect((refused as BudgetExhausted).budgetId).toBe(budget.id);

    // The first call cost less than its worst case: the rest goes back.
    await meter(a.workspace.id, 0.002, first);
    const settled = (await budgetsOf(a))[0]!;
    expect(settled.reservedUsd).toBe(0);
    expect(settled.spentUsd).toBeCloseTo(start + 0.002, 10);
    expect(await reserveCallBudget({ workspaceId: a.workspace.id }, 0.006, 60_000)).not.toBeNull();
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM budget_reservations WHERE workspace_id = $1', [a.workspace.id]);
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
    // A refusal of a hard budget is its 100% alert.
    expect((await budgetsOf(a))[0]!.alerts).toContain(100);
    await withWorkspace(a.workspace.id, (tx) => deleteBudget(tx, ownerA, budget.id));
  });

  it('alerts at 50, 80 and 100% of a soft budget once each, in the activity feed too, and never refuses', async () => {
    const start = await ledgerSpend(b.workspace.id);
    const budget = await withWorkspace(b.workspace.id, (tx) =>
      createBudget(tx, ownerB, { name: 'Soft watch', agentId: null, monthlyLimitUsd: start + 0.01, enforcement: 'soft' }),
    );
    const limit = start + 0.01;
    const alertsAfter = async () => (await budgetsOf(b)).find((x) => x.id === budget.id)!.alerts;
    // Top spend up to just past 50%, then 80%, then well past 100%: each call reserved and metered.
    for (const target of [0.55, 0.85, 1.5, 2]) {
      const current = (await budgetsOf(b)).find((x) => x.id === budget.id)!.spentUsd;
      const cost = limit * target - current;
      const reservation = await reserveCallBudget({ workspaceId: b.workspace.id }, cost * 1.1, 60_000);
      expect(reservation).not.toBeNull();
      await meter(b.workspace.id, cost, reservation);
    }
    expect(await alertsAfter()).toEqual([50, 80, 100]);
    const feed = (await auditActions(b, 'budget.threshold_reached')).map((r) => r.metadata.threshold);
    expect(feed).toEqual([50, 80, 100]);
    const notices = await withWorkspace(b.workspace.id, (tx) => budgetAlertsThisMonth(tx, b.workspace.id));
    expect(notices.map((n) => [n.budgetName, n.threshold])).toEqual([
      ['Soft watch', 100],
      ['Soft watch', 80],
      ['Soft watch', 50],
    ]);
    // The burn-down ends at the settled spend, and the limit never held a call back.
    const burn = await withWorkspace(b.workspace.id, (tx) => budgetBurnDown(tx, b.workspace.id, budget.id));
    expect(burn.at(-1)!.spentUsd).toBeCloseTo((await budgetsOf(b)).find((x) => x.id === budget.id)!.spentUsd, 8);
    // Nothing of B's reached A.
    expect((await withWorkspace(a.workspace.id, (tx) => budgetAlertsThisMonth(tx, a.workspace.id))).some((n) => n.budgetId === budget.id)).toBe(false);
    await withWorkspace(b.workspace.id, (tx) => deleteBudget(tx, ownerB, budget.id));
  });

  it('binds an agent’s budget to that agent only', async () => {
    const agentBudget = await withWorkspace(a.workspace.id, (tx) =>
      createBudget(tx, ownerA, { name: 'Support agent', agentId: a.agent.id, monthlyLimitUsd: 0.001, enforcement: 'hard' }),
    );
    expect(agentBudget).toMatchObject({ agentId: a.agent.id, agentName: a.agent.name });
    const refused = await reserveCallBudget({ workspaceId: a.workspace.id, agentId: a.agent.id }, 0.01, 60_000).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExhausted);
    expect((refused as Error).message).toContain('agent budget "Support agent"');
    // Calls of the workspace without that agent, and of the same agent id in B, are not its business.
    expect(await reserveCallBudget({ workspaceId: a.workspace.id }, 0.01, 60_000)).toBeNull();
    expect(await reserveCallBudget({ workspaceId: b.workspace.id, agentId: a.agent.id }, 0.01, 60_000)).toBeNull();
    await withWorkspace(a.workspace.id, (tx) => deleteBudget(tx, ownerA, agentBudget.id));
  });

  it('releases a re-claimed run’s reservations and expired ones, and counts a late-metered call’s cost', async () => {
    const budget = await withWorkspace(b.workspace.id, (tx) =>
      createBudget(tx, ownerB, { name: 'Recovery', agentId: null, monthlyLimitUsd: 1000, enforcement: 'hard' }),
    );
    const before = (await budgetsOf(b)).find((x) => x.id === budget.id)!;
    const held = await reserveCallBudget({ workspaceId: b.workspace.id, runId: b.run.id }, 0.5, 60_000);
    await reserveCallBudget({ workspaceId: b.workspace.id, runId: b.run.id }, 0.25, 60_000);
    expect((await budgetsOf(b)).find((x) => x.id === budget.id)!.reservedUsd).toBeCloseTo(0.75, 10);
    // Another workspace can't release B's run.
    expect(await releaseRunBudgetReservations(a.workspace.id, b.run.id)).toBe(0);
    expect(await releaseRunBudgetReservations(b.workspace.id, b.run.id)).toBe(2);
    expect((await budgetsOf(b)).find((x) => x.id === budget.id)!.reservedUsd).toBe(0);
    // The presumed-dead call answered after all: its cost still counts, nothing is released twice.
    await meter(b.workspace.id, 0.1, held);
    const after = (await budgetsOf(b)).find((x) => x.id === budget.id)!;
    expect(after.reservedUsd).toBe(0);
    expect(after.spentUsd).toBeCloseTo(before.spentUsd + 0.1, 10);

    // A call whose deadline passed long ago (its worker died outside any run) is released when its room is needed.
    const stale = await reserveCallBudget({ workspaceId: b.workspace.id }, 0.3, 1_000);
    expect((await budgetsOf(b)).find((x) => x.id === budget.id)!.reservedUsd).toBeCloseTo(0.3, 10);
    // Its worker died without a run to recover it: the call's deadline and the margin pass.
    await db.owner.query(`UPDATE budget_reservations SET expires_at = now() - interval '1 second' WHERE id = $1`, [stale]);
    // It still holds its room until a call needs that room: then it goes back first.
    const room = 1000 - after.spentUsd - 0.2;
    expect(await reserveCallBudget({ workspaceId: b.workspace.id }, room, 60_000)).not.toBeNull();
    expect((await budgetsOf(b)).find((x) => x.id === budget.id)!.reservedUsd).toBeCloseTo(room, 8);
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM budget_reservations WHERE id = $1', [stale]);
    expect(rows[0].n).toBe(0);
  });
});
