// The budget hot path (migration 0024) as one statement each, the way
// record_usage_event() meters: reserve_budget() locks, checks and reserves for
// every budget that applies to a call; release_run_budget_reservations() gives a
// re-claimed run's dead calls their room back. Only server/governance/budget-reservation.ts calls these.
import { NotFound } from '../domain-errors';
import { callStatement } from './statement-pool';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RefusingBudget = { budgetId: string; name: string; agentId: string | null; limitUsd: number; spentUsd: number; reservedUsd: number };
export type ReserveOutcome = { reserved: boolean; refused?: undefined } | { refused: RefusingBudget; reserved?: undefined };

const RESERVE = 'SELECT reserve_budget($1, $2, $3, $4, $5, $6) AS outcome';

export async function reserveBudgetRow(call: {
  workspaceId: string;
  agentId: string | null;
  reservationId: string;
  runId: string | null;
  amountUsd: number;
  expiresMs: number;
}): Promise<ReserveOutcome> {
  if (![call.workspaceId, call.reservationId].every((id) => UUID.test(id))) throw new NotFound('Workspace not found');
  const rows = await callStatement<{ outcome: ReserveOutcome }>('reserve_budget', RESERVE, [
    call.workspaceId,
    call.agentId,
    call.reservationId,
    call.runId,
    call.amountUsd.toFixed(10),
    Math.round(call.expiresMs),
  ]);
  return rows[0]!.outcome;
}

/** How many reservations the run still held (now released). */
export async function releaseRunReservationRows(workspaceId: string, runId: string): Promise<number> {
  if (![workspaceId, runId].every((id) => UUID.test(id))) throw new NotFound('Run not found');
  const rows = await callStatement<{ released: number }>(
    'release_run_budget_reservations',
    'SELECT release_run_budget_reservations($1, $2) AS released',
    [workspaceId, runId],
  );
  return rows[0]?.released ?? 0;
}
