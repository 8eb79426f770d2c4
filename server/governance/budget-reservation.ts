// Reserves a model call's worst-case cost on every budget that applies to it
// (the workspace's, and the agent's when the call is an agent's) before the call
// is made, in one statement that checks each hard budget while it holds its row,
// so concurrent calls in any number of processes can't overspend. Metering the
// call settles the reservation (record_usage_event); a run's recovery releases
// what its dead worker held.
import { randomUUID } from 'node:crypto';
import { BudgetExhausted } from '../domain-errors';
import { releaseRunReservationRows, reserveBudgetRow, type RefusingBudget } from '../db/budget-statements';

/** A reservation outlives its call's own deadline by this much before anyone may release it. */
const RESERVATION_MARGIN_MS = 60_000;

export type CallBudgetScope = { workspaceId: string; agentId?: string | null; runId?: string | null };

/**
 * Reserves `worstCaseUsd` for a call that ends within `callTimeoutMs`. Returns the
 * reservation id to meter the call with, or null when nothing was reserved (no
 * budget applies, or the call has no price). Throws BudgetExhausted, naming the
 * budget, when a hard budget has no room; nothing is reserved then.
 */
export async function reserveCallBudget(scope: CallBudgetScope, worstCaseUsd: number, callTimeoutMs: number): Promise<string | null> {
  if (!(worstCaseUsd > 0)) return null;
  const reservationId = randomUUID();
  const outcome = await reserveBudgetRow({
    workspaceId: scope.workspaceId,
    agentId: scope.agentId ?? null,
    reservationId,
    runId: scope.runId ?? null,
    amountUsd: worstCaseUsd,
    expiresMs: Math.max(0, callTimeoutMs) + RESERVATION_MARGIN_MS,
  });
  if (outcome.refused) throw new BudgetExhausted(refusalMessage(outcome.refused), outcome.refused.budgetId);
  return outcome.reserved ? reservationId : null;
}

/** A run's recovery: the reservations its previous worker still held go back; the count released. */
export async function releaseRunBudgetReservations(workspaceId: string, runId: string): Promise<number> {
  return releaseRunReservationRows(workspaceId, runId);
}

function refusalMessage(budget: RefusingBudget): string {
  const scope = budget.agentId ? 'agent budget' : 'workspace budget';
  return (
    `The ${scope} "${budget.name}" (hard limit ${usd(budget.limitUsd)} a month) has no room for this model call: ` +
    `${usd(budget.spentUsd)} spent and ${usd(budget.reservedUsd)} reserved this month.`
  );
}

function usd(amount: number): string {
  return `$${amount < 1 ? amount.toFixed(4) : amount.toFixed(2)}`;
}
