// The metering hot path: one statement, one round trip. record_usage_event()
// (migration 0008) takes the app role and the workspace transaction-locally for
// its own implicit transaction, then inserts under the usage_events policy, so
// the tenant guarantee is the same as withWorkspace()'s at a third of the cost
// on the embedded database (server/db/statement-pool.ts). With a reservation id
// the same statement settles the call's budget reservation to the row's cost.
import { NotFound } from '../domain-errors';
import { callStatement } from './statement-pool';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type UsageEventRow = {
  workspaceId: string;
  runId: string | null;
  stepIndex: number | null;
  attempt: number | null;
  agentId: string | null;
  providerId: string | null;
  provider: string;
  model: string;
  taskType: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  priceKnown: boolean;
  latencyMs: number;
  status: string;
  errorKind: string | null;
  /** Answered from the response cache: no model was called. */
  cached: boolean;
  /** The call's budget reservation, settled to this row's cost in the same statement (migration 0024). */
  reservationId: string | null;
};

const RECORD = 'SELECT record_usage_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) AS id';

/** The new row's id, or null when its (run, step, attempt) was already recorded. */
export async function insertUsageEvent(row: UsageEventRow): Promise<string | null> {
  if (!UUID.test(row.workspaceId)) throw new NotFound('Workspace not found');
  const rows = await callStatement<{ id: string | null }>('record_usage_event', RECORD, [
    row.workspaceId,
    row.runId,
    row.stepIndex,
    row.attempt,
    row.agentId,
    row.providerId,
    row.provider,
    row.model,
    row.taskType,
    row.inputTokens,
    row.outputTokens,
    row.costUsd,
    row.priceKnown,
    row.latencyMs,
    row.status,
    row.errorKind,
    row.cached,
    row.reservationId,
  ]);
  return rows[0]?.id ?? null;
}
