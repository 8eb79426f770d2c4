// The append-only usage ledger: exactly one row per gateway call, written in one
// statement after the call (no transaction is open during it). The
// key (workspace, run, step, attempt) is unique, so a repeated step of a run is
// never recorded twice; the app role cannot UPDATE or DELETE a row.
import { insertUsageEvent } from '../db/usage-event-writer';
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
  /** A model step answered from the response cache (zero cost, no model call). */
  cached?: boolean;
  /** The budget reservation taken before the call; metering settles it. */
  reservationId?: string | null;
};

/** Appends the row; false when this (run, step, attempt) was already recorded. */
export async function recordUsage(record: UsageRecord): Promise<boolean> {
  const id = await insertUsageEvent({
    workspaceId: record.workspaceId,
    runId: record.runId ?? null,
    stepIndex: record.stepIndex ?? null,
    attempt: record.attempt ?? null,
    agentId: record.agentId ?? null,
    providerId: record.providerId,
    provider: record.provider,
    model: record.model,
    taskType: record.taskType,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    costUsd: record.costUsd,
    priceKnown: record.priceKnown,
    latencyMs: Math.max(0, Math.round(record.latencyMs)),
    status: record.status,
    errorKind: record.errorKind ?? null,
    cached: record.cached ?? false,
    reservationId: record.reservationId ?? null,
  });
  return id !== null;
}
