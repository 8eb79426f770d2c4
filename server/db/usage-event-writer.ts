// The metering hot path: one statement, one round trip. record_usage_event()
// (migration 0008) takes the app role and the workspace transaction-locally for
// its own implicit transaction, then inserts under the usage_events policy, so
// the tenant guarantee is the same as withWorkspace()'s at a third of the cost
// on the embedded database. This pool can call nothing else.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { env } from '../env';
import { NotFound } from '../domain-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const holder = globalThis as unknown as { enclaveUsagePool?: { url: string; pool: pg.Pool } };

function pool(): pg.Pool {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app through server/main.ts, which starts the database');
  if (holder.enclaveUsagePool?.url !== url) {
    const created = new pg.Pool({ connectionString: url, max: 4 });
    // An idle connection that dies (database restart) must not crash the process.
    created.on('error', () => undefined);
    holder.enclaveUsagePool = { url, pool: created };
  }
  return holder.enclaveUsagePool.pool;
}

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
};

const RECORD = 'SELECT record_usage_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) AS id';

/** The new row's id, or null when its (run, step, attempt) was already recorded. */
export async function insertUsageEvent(row: UsageEventRow): Promise<string | null> {
  if (!UUID.test(row.workspaceId)) throw new NotFound('Workspace not found');
  // Named: each connection parses and plans it once. The name is unique per
  // connection because the embedded database has one session for every
  // connection (of this process and of worker processes): a shared name collides.
  const client = await pool().connect();
  const statements = client as pg.PoolClient & { usageStatementName?: string };
  statements.usageStatementName ??= `record_usage_event_${randomBytes(6).toString('hex')}`;
  let result: pg.QueryResult<{ id: string | null }>;
  try {
    result = await client.query<{ id: string | null }>({ name: statements.usageStatementName, text: RECORD, values: [
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
  ] });
  } finally {
    client.release();
  }
  return result.rows[0]?.id ?? null;
}

export async function closeUsageEventWriter(): Promise<void> {
  const current = holder.enclaveUsagePool;
  holder.enclaveUsagePool = undefined;
  await current?.pool.end();
}
