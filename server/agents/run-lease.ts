// The lease a worker holds on the run it executes: short transactions that renew
// it, write a step, and finish the run — each only while the lease is still this
// worker's, so a worker that lost its run (it stalled and another took over)
// can never write over the new owner's work. A step and its trace span are one
// statement (write_run_step(), server/db/run-statements.ts): the lease check and
// both inserts happen in one implicit transaction, under the app role and RLS.
// The finish is one short transaction that also writes the run's root span.
// A pause for an approval is one statement too (pause_run_for_approval()).
// Spans are exported (when an OTLP endpoint is set) only once committed.
import { Prisma } from '../db/generated/client';
import { finishRunRow, pauseRunRow, writeRunStepRow, type PauseOutcome } from '../db/run-statements';
import { withWorkspace } from '../db/with-workspace';
import type { ApprovalAsk } from '../governance/approval-rules';
import { exportSpans } from '../observability/otel-export';
import { ENCLAVE, GEN_AI } from '../observability/gen-ai-attributes';
import { recordRunSpan, runSpan, stepSpan, type ModelRequest, type RunForSpan, type StepForSpan } from '../observability/trace-spans';
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

/** A step as the run loop hands it over. */
export type StepToWrite = Omit<Prisma.RunStepCreateManyInput, 'workspaceId' | 'runId'>;

/**
 * Writes one step and its span if the lease is held; false when it is not
 * (nothing is written). `request` is what the run asked the model for (the
 * version's model and temperature), which the span records.
 */
export async function writeStep(lease: LeaseHolder, step: StepToWrite, request: ModelRequest): Promise<boolean> {
  const span = stepSpan(lease.workspaceId, lease.runId, spanFactsOf(step), request);
  const written = await writeRunStepRow(
    lease,
    {
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
    },
    span,
  );
  if (written.spanWritten) exportSpans([span]);
  return written.held;
}

/** The metadata of a step that its span carries (never its content). */
function spanFactsOf(step: StepToWrite): StepForSpan {
  const response = (step.response ?? null) as { finishReason?: unknown; cached?: { match?: unknown } } | null;
  const cacheMatch = response?.cached?.match;
  const startedAt = new Date(step.startedAt);
  return {
    stepIndex: step.stepIndex,
    kind: step.kind === 'tool' ? 'tool' : 'model',
    status: step.status === 'error' ? 'error' : 'ok',
    error: step.error ?? null,
    provider: step.provider ?? null,
    model: step.model ?? null,
    inputTokens: step.inputTokens ?? 0,
    outputTokens: step.outputTokens ?? 0,
    costUsd: Number(step.costUsd ?? 0),
    latencyMs: step.latencyMs ?? 0,
    finishReason: typeof response?.finishReason === 'string' ? response.finishReason : null,
    cacheMatch: cacheMatch === 'exact' || cacheMatch === 'semantic' ? cacheMatch : null,
    toolName: step.toolName ?? null,
    toolCallId: step.toolCallId ?? null,
    startedAt,
    finishedAt: step.finishedAt ? new Date(step.finishedAt) : new Date(),
  };
}

/** A JSON column's value as the function takes it: JSON text, or null for SQL NULL. */
function jsonText(value: unknown): string | null {
  if (value === undefined || value === null || value === Prisma.DbNull) return null;
  if (value === Prisma.JsonNull) return 'null';
  return JSON.stringify(value);
}

type Outcome = { status: Exclude<RunState, 'queued' | 'running'>; output?: string | null; error?: string | null };

/**
 * Moves the run to a final state, writes its root span and releases the lease,
 * if the lease is still held. With `run` (what the worker knows of the run) it is
 * one statement, finish_run(); without (the run could not even be read) one short
 * transaction that reads the rest.
 */
export async function finishRun(lease: LeaseHolder, outcome: Outcome, run?: RunForSpan): Promise<boolean> {
  if (run) return finishKnownRun(lease, outcome, run);
  const finished = await withWorkspace(lease.workspaceId, async (tx) => {
    const updated = await tx.run.updateMany({
      where: { workspaceId: lease.workspaceId, id: lease.runId, leaseOwner: lease.workerId, status: 'running' },
      data: { status: outcome.status, output: outcome.output ?? null, error: outcome.error ?? null, finishedAt: new Date(), leaseExpiresAt: null },
    });
    if (updated.count !== 1) return null;
    return { span: await recordRunSpan(tx, lease.workspaceId, lease.runId) };
  });
  if (!finished) return false;
  exportSpans([finished.span]);
  return true;
}

async function finishKnownRun(lease: LeaseHolder, outcome: Outcome, run: RunForSpan): Promise<boolean> {
  const now = new Date();
  // Times and totals are placeholders here: finish_run() sets them from the stored run and steps.
  const span = runSpan(lease.workspaceId, lease.runId, { ...run, status: outcome.status, error: outcome.error ?? null, startedAt: now, finishedAt: now }, {
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  });
  const finished = await finishRunRow(
    lease,
    { status: outcome.status, output: outcome.output ?? null, error: outcome.error ?? null },
    span,
    [GEN_AI.usageInputTokens, GEN_AI.usageOutputTokens, ENCLAVE.costUsd],
  );
  if (!finished) return false;
  if (finished.span) {
    const written = finished.span;
    exportSpans([{ ...span, startedAt: new Date(written.startedAt), endedAt: new Date(written.endedAt), attributes: written.attributes as typeof span.attributes }]);
  }
  return true;
}

/**
 * Records the approval a step asks for and moves the run to awaiting_approval,
 * giving up the lease, if it is still held: one statement. The run waits with no
 * worker and no transaction; an approval queues it again.
 */
export async function pauseForApproval(lease: LeaseHolder, stepIndex: number, ask: ApprovalAsk, expiresAfterMinutes: number): Promise<PauseOutcome> {
  return pauseRunRow(lease, {
    stepIndex,
    kind: ask.kind,
    toolName: ask.kind === 'tool' ? ask.toolName : null,
    toolArgs: ask.kind === 'tool' ? jsonText(ask.toolArgs ?? null) : null,
    model: ask.kind === 'model' ? ask.model : null,
    estimatedCostUsd: ask.kind === 'model' ? ask.estimatedCostUsd : null,
    rule: ask.rule,
    expiresAfterMinutes,
  });
}
