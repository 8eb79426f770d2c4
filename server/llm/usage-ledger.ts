// The append-only usage ledger: exactly one row per gateway call, written in one
// pipelined round trip after the call (no transaction is open during it). The
// key (workspace, run, step, attempt) is unique, so a repeated step of a run is
// never recorded twice; the app role cannot UPDATE or DELETE a row.
import { runInWorkspacePipelined } from '../db/tenant-pipeline';
import type { TaskType } from './task-types';

export type UsageStatus = 'ok' | 'error' | 'fallback';

export type UsageRecord = {
  workspaceId: string;
  runId?: string | null;
  stepIndex?: number | null;
  attempt?: number | null;
  agentId?: string | null;
  providerId: string | null;
  provider: string;
  model: string;
  taskType: TaskType;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  priceKnown: boolean;
  latencyMs: number;
  status: UsageStatus;
  errorKind?: string | null;
};

const INSERT_USAGE = `
  INSERT INTO usage_events (workspace_id, run_id, step_index, attempt, agent_id, provider_id, provider, model, task_type,
                            input_tokens, output_tokens, cost_usd, price_known, latency_ms, status, error_kind)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
  ON CONFLICT (workspace_id, run_id, step_index, attempt) DO NOTHING
  RETURNING id`;

/** Appends the row; false when this (run, step, attempt) was already recorded. */
export async function recordUsage(record: UsageRecord): Promise<boolean> {
  const rows = await runInWorkspacePipelined<{ id: string }>(record.workspaceId, {
    text: INSERT_USAGE,
    values: [
      record.workspaceId,
      record.runId ?? null,
      record.stepIndex ?? null,
      record.attempt ?? null,
      record.agentId ?? null,
      record.providerId,
      record.provider,
      record.model,
      record.taskType,
      record.inputTokens,
      record.outputTokens,
      record.costUsd,
      record.priceKnown,
      Math.max(0, Math.round(record.latencyMs)),
      record.status,
      record.errorKind ?? null,
    ],
  });
  return rows.length === 1;
}
