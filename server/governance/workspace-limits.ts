// A workspace's effective limits: its plan's, with the operator's per-workspace
// overrides on top, read in one statement (workspace_limits(), migration 0019).
import type { Tx } from '../db/with-workspace';

export type WorkspaceLimits = {
  plan: 'free' | 'pro' | 'enterprise';
  schedulingWeight: number;
  runsPerMinute: number;
  tokensPerMinute: number;
  apiRequestsPerMinute: number;
  concurrentRuns: number;
  maxRunDurationMs: number;
  maxSteps: number;
  knowledgeMaxChunks: number;
  knowledgeMaxBytes: number;
};

type LimitsRow = {
  plan: WorkspaceLimits['plan'];
  scheduling_weight: number;
  runs_per_minute: number;
  tokens_per_minute: number;
  api_requests_per_minute: number;
  concurrent_runs: number;
  max_run_duration_ms: number;
  max_steps: number;
  knowledge_max_chunks: number;
  knowledge_max_bytes: bigint;
};

/** The limits in force for `workspaceId`, inside that workspace's transaction. */
export async function workspaceLimits(tx: Tx, workspaceId: string): Promise<WorkspaceLimits> {
  const rows = await tx.$queryRaw<LimitsRow[]>`SELECT * FROM workspace_limits(${workspaceId}::uuid)`;
  const row = rows[0];
  if (!row) throw new Error('workspace_limits() found no workspace inside its own transaction');
  return {
    plan: row.plan,
    schedulingWeight: row.scheduling_weight,
    runsPerMinute: row.runs_per_minute,
    tokensPerMinute: row.tokens_per_minute,
    apiRequestsPerMinute: row.api_requests_per_minute,
    concurrentRuns: row.concurrent_runs,
    maxRunDurationMs: row.max_run_duration_ms,
    maxSteps: row.max_steps,
    knowledgeMaxChunks: row.knowledge_max_chunks,
    knowledgeMaxBytes: Number(row.knowledge_max_bytes),
  };
}
