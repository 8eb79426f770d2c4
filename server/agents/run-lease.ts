// The lease a worker holds on the run it executes: short transactions that renew
// it, write a step, and finish the run — each only while the lease is still this
// worker's, so a worker that lost its run (it stalled and another took over)
// can never write over the new owner's work. Step writes and the finish are one
// statement each (server/db/run-statements.ts): the lease check and the
// write happen in the same implicit transaction, under the app role and RLS.
import { Prisma } from '../db/generated/client';
import { finishRunRow, writeRunStepRow } from '../db/run-statements';
import { withWorkspace } from '../db/with-workspace';
import type { RunState } from './run-states';

export type LeaseHolder = { workspaceId: string; runId: string; workerId: string; leaseMs: number };

export type LeaseCheck = { held: boolean; cancelRequested: boolean };

/** Extends the lease; tells whether it is still held and whether a cancel was asked for. */
export async function renewLease(lease: LeaseHolder): Promise<LeaseCheck> {
  return withWorkspace(lease.workspaceId, async (tx) => {
    const rows = await tx.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE runs SET lease_expires_at = now() + make_interval(secs => ${lease.leaseMs / 1000})
      WHERE workspace_id = ${lease.workspaceId}::uuid AND id = ${lease.runId}::uuid
        AND lease_owner = ${lease.workerId} AND status = 'running'
      RETURNING cancel_requested`;
    return rows[0] ? { held: true, cancelRequested: rows[0].cancel_requested } : { held: false, cancelRequested: false };
  });
}

/** Writes one step if the lease is held; false when it is not (the step is not written). One statement: write_run_step(). */
export async function writeStep(lease: LeaseHolder, step: Omit<Prisma.RunStepCreateManyInput, 'workspaceId' | 'runId'>): Promise<boolean> {
  return writeRunStepRow(lease, {
    stepIndex: step.stepIndex,
    kind: step.kind,
    status: step.status,
    request: jsonText(step.request),
    response: jsonText(step.response),
    toolName: step.toolName ?? null,
    toolCallId: step.toolCallId ?? null,
    toolArgs: jsonText(step.toolArgs),
    toolResult: jsonText(step.toolResult),
    error: step.error ?? null,
    provider: step.provider ?? null,
    model: step.model ?? null,
    inputTokens: step.inputTokens ?? 0,
    outputTokens: step.outputTokens ?? 0,
    costUsd: step.costUsd === undefined ? 0 : step.costUsd.toString(),
    latencyMs: step.latencyMs ?? 0,
    startedAt: step.startedAt,
    finishedAt: step.finishedAt ?? null,
  });
}

/** Moves the run to a final state and releases the lease, if the lease is still held. One statement: finish_run(). */
export async function finishRun(
  lease: LeaseHolder,
  outcome: { status: Exclude<RunState, 'queued' | 'running'>; output?: string | null; error?: string | null },
): Promise<boolean> {
  return finishRunRow(lease, { status: outcome.status, output: outcome.output ?? null, error: outcome.error ?? null });
}

/** A JSON column's value as the function takes it: JSON text, or null for SQL NULL. */
function jsonText(value: unknown): string | null {
  if (value === undefined || value === null || value === Prisma.DbNull) return null;
  if (value === Prisma.JsonNull) return 'null';
  return JSON.stringify(value);
}
