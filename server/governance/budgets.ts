// Budgets of a workspace: a monthly USD limit for the whole workspace or one
// agent, hard (calls that could overspend it are refused, budget-reservation.ts)
// or soft (alerts only). Every change is audited. Spend so far is the month's
// settled spend plus what calls in flight have reserved; a budget created
// mid-month starts from the month's ledger.
import { Prisma } from '../db/generated/client';
import type { Tx } from '../db/with-workspace';
import { Conflict, NotFound } from '../domain-errors';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';

export const BUDGET_THRESHOLDS = [50, 80, 100] as const;
export type BudgetEnforcement = 'hard' | 'soft';

export type BudgetInput = { name: string; agentId: string | null; monthlyLimitUsd: number; enforcement: BudgetEnforcement };
export type BudgetChange = { name: string; monthlyLimitUsd: number; enforcement: BudgetEnforcement };

export type BudgetView = {
  id: string;
  name: string;
  agentId: string | null;
  agentName: string | null;
  monthlyLimitUsd: number;
  enforcement: BudgetEnforcement;
  /** This month (UTC), settled in the ledger. */
  spentUsd: number;
  /** This month, held by calls in flight. */
  reservedUsd: number;
  /** Thresholds (percent) reached this month. */
  alerts: number[];
  periodStart: string;
  updatedAt: Date;
};

export type BudgetAlertView = { budgetId: string; budgetName: string; threshold: number; enforcement: BudgetEnforcement; createdAt: Date };

type BudgetRow = {
  id: string;
  name: string;
  agent_id: string | null;
  agent_name: string | null;
  monthly_limit_usd: number;
  enforcement: BudgetEnforcement;
  spent_usd: number;
  reserved_usd: number;
  alerts: number[] | null;
  period_start: string;
  updated_at: Date;
};

/** The first day of the current month in UTC, as the database computes it for reservations. */
const PERIOD = Prisma.sql`(date_trunc('month', now() AT TIME ZONE 'UTC'))::date`;

export async function budgetsOfWorkspace(tx: Tx, workspaceId: string): Promise<BudgetView[]> {
  const rows = await tx.$queryRaw<BudgetRow[]>`
    SELECT b.id, b.name, b.agent_id, a.name AS agent_name, b.monthly_limit_usd::float8 AS monthly_limit_usd, b.enforcement,
           coalesce(p.spent_usd, (SELECT coalesce(sum(u.cost_usd), 0) FROM usage_events u
                                  WHERE u.workspace_id = b.workspace_id
                                    AND u.created_at >= ${PERIOD}::timestamp AT TIME ZONE 'UTC'
                                    AND (b.agent_id IS NULL OR u.agent_id = b.agent_id)))::float8 AS spent_usd,
           coalesce(p.reserved_usd, 0)::float8 AS reserved_usd,
           (SELECT array_agg(al.threshold ORDER BY al.threshold) FROM budget_alerts al
            WHERE al.workspace_id = b.workspace_id AND al.budget_id = b.id AND al.period_start = ${PERIOD}) AS alerts,
           to_char(${PERIOD}, 'YYYY-MM-DD') AS period_start, b.updated_at
    FROM budgets b
    LEFT JOIN agents a ON a.workspace_id = b.workspace_id AND a.id = b.agent_id
    LEFT JOIN budget_periods p ON p.workspace_id = b.workspace_id AND p.budget_id = b.id AND p.period_start = ${PERIOD}
    WHERE b.workspace_id = ${workspaceId}::uuid
    ORDER BY b.agent_id NULLS FIRST, b.name`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    agentId: r.agent_id,
    agentName: r.agent_name,
    monthlyLimitUsd: Number(r.monthly_limit_usd),
    enforcement: r.enforcement,
    spentUsd: Number(r.spent_usd),
    reservedUsd: Number(r.reserved_usd),
    alerts: r.alerts ?? [],
    periodStart: r.period_start,
    updatedAt: r.updated_at,
  }));
}

export async function budgetById(tx: Tx, workspaceId: string, budgetId: string): Promise<BudgetView> {
  const found = (await budgetsOfWorkspace(tx, workspaceId)).find((b) => b.id === budgetId);
  if (!found) throw new NotFound('Budget not found');
  return found;
}

export async function createBudget(tx: Tx, actor: Actor, input: BudgetInput): Promise<BudgetView> {
  const workspaceId = actor.workspaceId;
  if (input.agentId) {
    const agent = await tx.agent.findFirst({ where: { workspaceId, id: input.agentId }, select: { id: true } });
    if (!agent) throw new NotFound('Agent not found');
  }
  const taken = await tx.budget.findFirst({ where: { workspaceId, agentId: input.agentId }, select: { id: true } });
  if (taken) throw new Conflict(input.agentId ? 'This agent already has a budget.' : 'The workspace already has a budget.');
  const created = await tx.budget.create({
    data: {
      workspaceId,
      agentId: input.agentId,
      name: input.name,
      monthlyLimitUsd: new Prisma.Decimal(input.monthlyLimitUsd),
      enforcement: input.enforcement,
      createdBy: actor.userId,
    },
    select: { id: true },
  });
  // This month's row, counted from the ledger, so the first reservation finds it.
  await tx.$queryRaw`SELECT open_budget_periods(${workspaceId}::uuid, ${PERIOD})`;
  await recordAudit(tx, {
    workspaceId,
    actorUserId: actor.userId,
    action: 'budget.created',
    target: created.id,
    metadata: { name: input.name, agentId: input.agentId, monthlyLimitUsd: input.monthlyLimitUsd, enforcement: input.enforcement },
  });
  return budgetById(tx, workspaceId, created.id);
}

export async function updateBudget(tx: Tx, actor: Actor, budgetId: string, change: BudgetChange): Promise<BudgetView> {
  const workspaceId = actor.workspaceId;
  const before = await tx.budget.findFirst({ where: { workspaceId, id: budgetId }, select: { name: true, monthlyLimitUsd: true, enforcement: true } });
  if (!before) throw new NotFound('Budget not found');
  await tx.budget.updateMany({
    where: { workspaceId, id: budgetId },
    data: { name: change.name, monthlyLimitUsd: new Prisma.Decimal(change.monthlyLimitUsd), enforcement: change.enforcement },
  });
  await recordAudit(tx, {
    workspaceId,
    actorUserId: actor.userId,
    action: 'budget.updated',
    target: budgetId,
    metadata: {
      before: { name: before.name, monthlyLimitUsd: before.monthlyLimitUsd.toNumber(), enforcement: before.enforcement },
      after: change,
    },
  });
  return budgetById(tx, workspaceId, budgetId);
}

export async function deleteBudget(tx: Tx, actor: Actor, budgetId: string): Promise<void> {
  const workspaceId = actor.workspaceId;
  const budget = await tx.budget.findFirst({ where: { workspaceId, id: budgetId }, select: { name: true } });
  if (!budget) throw new NotFound('Budget not found');
  await tx.budget.deleteMany({ where: { workspaceId, id: budgetId } });
  await recordAudit(tx, { workspaceId, actorUserId: actor.userId, action: 'budget.deleted', target: budgetId, metadata: { name: budget.name } });
}

/** The thresholds budgets reached this month, newest first: what the workspace's notice shows. */
export async function budgetAlertsThisMonth(tx: Tx, workspaceId: string): Promise<BudgetAlertView[]> {
  const rows = await tx.$queryRaw<{ budget_id: string; name: string; threshold: number; enforcement: BudgetEnforcement; created_at: Date }[]>`
    SELECT al.budget_id, b.name, al.threshold, b.enforcement, al.created_at
    FROM budget_alerts al JOIN budgets b ON b.workspace_id = al.workspace_id AND b.id = al.budget_id
    WHERE al.workspace_id = ${workspaceId}::uuid AND al.period_start = ${PERIOD}
    ORDER BY al.created_at DESC, al.threshold DESC`;
  return rows.map((r) => ({ budgetId: r.budget_id, budgetName: r.name, threshold: r.threshold, enforcement: r.enforcement, createdAt: r.created_at }));
}

export type BurnDownPoint = { day: string; spentUsd: number };

/** Cumulative settled spend per day of this month (UTC) for the budget's scope, through today. */
export async function budgetBurnDown(tx: Tx, workspaceId: string, budgetId: string): Promise<BurnDownPoint[]> {
  const budget = await tx.budget.findFirst({ where: { workspaceId, id: budgetId }, select: { agentId: true } });
  if (!budget) throw new NotFound('Budget not found');
  const rows = await tx.$queryRaw<{ day: string; spent_usd: number }[]>`
    WITH days AS (
      SELECT d::date AS day FROM generate_series(${PERIOD}, (now() AT TIME ZONE 'UTC')::date, interval '1 day') d
    ),
    daily AS (
      SELECT (u.created_at AT TIME ZONE 'UTC')::date AS day, sum(u.cost_usd) AS cost
      FROM usage_events u
      WHERE u.workspace_id = ${workspaceId}::uuid
        AND u.created_at >= ${PERIOD}::timestamp AT TIME ZONE 'UTC'
        AND (${budget.agentId}::uuid IS NULL OR u.agent_id = ${budget.agentId}::uuid)
      GROUP BY 1
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
           (sum(coalesce(daily.cost, 0)) OVER (ORDER BY days.day))::float8 AS spent_usd
    FROM days LEFT JOIN daily ON daily.day = days.day
    ORDER BY days.day`;
  return rows.map((r) => ({ day: r.day, spentUsd: Number(r.spent_usd) }));
}
