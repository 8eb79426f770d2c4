// The spans of each run's trace, stored under row-level security: a step's span
// is written in the transaction that writes the step, the run's root span in the
// one that moves the run to its final state. Ids are derived (trace-ids.ts) and a
// span is inserted only if absent, so a redone step or a second finish never
// writes a span twice. Reads go through the same tenant transaction as any run read.
import { Prisma } from '../db/generated/client';
import type { Tx } from '../db/with-workspace';
import { NotFound } from '../domain-errors';
import { agentRunSpan, GEN_AI, ENCLAVE, modelCallSpan, toolCallSpan, type SpanAttributes } from './gen-ai-attributes';
import { approvalSpanIdOf, runSpanIdOf, stepSpanIdOf, traceIdOfRun } from './trace-ids';

export type SpanKind = 'run' | 'model' | 'tool' | 'approval';
export type SpanStatus = 'ok' | 'error';

/** A span as stored and as exported. */
export type StoredSpan = {
  workspaceId: string;
  runId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  stepIndex: number | null;
  kind: SpanKind;
  name: string;
  startedAt: Date;
  endedAt: Date;
  status: SpanStatus;
  statusMessage: string | null;
  attributes: SpanAttributes;
};

/** What a step span is made of: the step as written, and what the run asked the model for. */
export type StepForSpan = {
  stepIndex: number;
  kind: 'model' | 'tool';
  status: SpanStatus;
  error: string | null;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  finishReason: string | null;
  /** The response cache answered this model step (exact or semantic match). */
  cacheMatch?: 'exact' | 'semantic' | null;
  toolName: string | null;
  toolCallId: string | null;
  startedAt: Date;
  finishedAt: Date;
};

export type ModelRequest = { model: string | null; temperature: number | null };

const STATUS_MESSAGE_MAX = 500;

function statusMessage(status: SpanStatus, message: string | null | undefined): string | null {
  return status === 'error' && message ? message.slice(0, STATUS_MESSAGE_MAX) : null;
}

/** A clock step backwards between processes must not give a span that ends before it starts. */
function endNotBefore(start: Date, end: Date): Date {
  return end.getTime() < start.getTime() ? start : end;
}

/** Inserts the span unless it is already there; the span when this call wrote it, else null. */
async function insertIfAbsent(tx: Tx, span: StoredSpan): Promise<StoredSpan | null> {
  const written = await tx.traceSpan.createMany({
    data: [
      {
        workspaceId: span.workspaceId,
        runId: span.runId,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        stepIndex: span.stepIndex,
        kind: span.kind,
        name: span.name,
        startedAt: span.startedAt,
        endedAt: span.endedAt,
        status: span.status,
        statusMessage: span.statusMessage,
        attributes: span.attributes,
      },
    ],
    skipDuplicates: true,
  });
  return written.count === 1 ? span : null;
}

/** The span of one step, a child of the run span. */
export function stepSpan(workspaceId: string, runId: string, step: StepForSpan, request: ModelRequest): StoredSpan {
  const scope = { workspaceId, runId, stepIndex: step.stepIndex };
  const shape =
    step.kind === 'model'
      ? modelCallSpan({
          ...scope,
          provider: step.provider,
          requestModel: request.model,
          responseModel: step.model,
          temperature: request.temperature,
          inputTokens: step.inputTokens,
          outputTokens: step.outputTokens,
          finishReason: step.finishReason,
          cacheMatch: step.cacheMatch ?? null,
          costUsd: step.costUsd,
          latencyMs: step.latencyMs,
        })
      : toolCallSpan({ ...scope, toolName: step.toolName ?? 'tool', toolCallId: step.toolCallId, latencyMs: step.latencyMs });
  return {
    workspaceId,
    runId,
    traceId: traceIdOfRun(runId),
    spanId: stepSpanIdOf(runId, step.stepIndex),
    parentSpanId: runSpanIdOf(runId),
    stepIndex: step.stepIndex,
    kind: step.kind,
    name: shape.name,
    startedAt: step.startedAt,
    endedAt: endNotBefore(step.startedAt, step.finishedAt),
    status: step.status,
    statusMessage: statusMessage(step.status, step.error),
    attributes: shape.attributes,
  };
}

export function recordStepSpan(tx: Tx, workspaceId: string, runId: string, step: StepForSpan, request: ModelRequest): Promise<StoredSpan | null> {
  return insertIfAbsent(tx, stepSpan(workspaceId, runId, step, request));
}

/** An approval's wait as its span tells it: the step that asked, what for, and how it was decided. */
export type ApprovalForSpan = {
  stepIndex: number;
  kind: 'tool' | 'model';
  toolName: string | null;
  model: string | null;
  estimatedCostUsd: number | null;
  decision: 'approved' | 'rejected' | 'expired' | 'cancelled';
  requestedAt: Date;
  decidedAt: Date;
  /** What the run was told (rejection or expiry); never the arguments asked about. */
  message: string | null;
};

/** The span of an approval wait, written once when it is decided; an approval only succeeds when approved. */
export function recordApprovalSpan(tx: Tx, workspaceId: string, runId: string, approval: ApprovalForSpan): Promise<StoredSpan | null> {
  const status: SpanStatus = approval.decision === 'approved' ? 'ok' : 'error';
  const attributes: SpanAttributes = {
    [ENCLAVE.workspaceId]: workspaceId,
    [ENCLAVE.runId]: runId,
    [ENCLAVE.stepIndex]: approval.stepIndex,
    [ENCLAVE.approvalKind]: approval.kind,
    [ENCLAVE.approvalDecision]: approval.decision,
    ...(approval.toolName ? { [GEN_AI.toolName]: approval.toolName } : {}),
    ...(approval.model ? { [GEN_AI.requestModel]: approval.model } : {}),
    ...(approval.estimatedCostUsd !== null ? { [ENCLAVE.approvalEstimatedCostUsd]: approval.estimatedCostUsd } : {}),
  };
  return insertIfAbsent(tx, {
    workspaceId,
    runId,
    traceId: traceIdOfRun(runId),
    spanId: approvalSpanIdOf(runId, approval.stepIndex),
    parentSpanId: runSpanIdOf(runId),
    stepIndex: approval.stepIndex,
    kind: 'approval',
    name: `approval ${approval.toolName ?? approval.model ?? ''}`.trim(),
    startedAt: approval.requestedAt,
    endedAt: endNotBefore(approval.requestedAt, approval.decidedAt),
    status,
    statusMessage: statusMessage(status, approval.message ?? approval.decision),
    attributes,
  });
}

/** What the run's root span says about the run, besides its times and totals. */
export type RunForSpan = { agentId: string; agentName: string; agentVersion: number; requestModel: string | null };

/** The totals of a run's steps, which its root span carries. */
export type RunTotals = { inputTokens: number; outputTokens: number; costUsd: number };

/** The run's root span, once the run is in a final state. */
export function runSpan(
  workspaceId: string,
  runId: string,
  run: RunForSpan & { status: string; error: string | null; startedAt: Date; finishedAt: Date },
  totals: RunTotals,
): StoredSpan {
  const status: SpanStatus = run.status === 'succeeded' ? 'ok' : 'error';
  const shape = agentRunSpan({ workspaceId, runId, ...run, ...totals });
  return {
    workspaceId,
    runId,
    traceId: traceIdOfRun(runId),
    spanId: runSpanIdOf(runId),
    parentSpanId: null,
    stepIndex: null,
    kind: 'run',
    name: shape.name,
    startedAt: run.startedAt,
    endedAt: endNotBefore(run.startedAt, run.finishedAt),
    status,
    statusMessage: statusMessage(status, run.error ?? run.status.replace('_', ' ')),
    attributes: shape.attributes,
  };
}

/**
 * The run's root span, from the run as it now stands (in a final state) and the
 * totals of its steps; call it in the transaction that finished the run.
 */
export async function recordRunSpan(tx: Tx, workspaceId: string, runId: string): Promise<StoredSpan | null> {
  const run = await tx.run.findUnique({
    where: { workspaceId_id: { workspaceId, id: runId } },
    select: {
      status: true,
      error: true,
      agentId: true,
      agentVersion: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      agent: { select: { name: true } },
      version: { select: { model: true } },
    },
  });
  if (!run) throw new NotFound('Run not found');
  const totals = await tx.runStep.aggregate({ where: { workspaceId, runId }, _sum: { inputTokens: true, outputTokens: true, costUsd: true } });
  const span = runSpan(
    workspaceId,
    runId,
    {
      agentId: run.agentId,
      agentName: run.agent.name,
      agentVersion: run.agentVersion,
      requestModel: run.version.model,
      status: run.status,
      error: run.error,
      startedAt: run.startedAt ?? run.createdAt,
      finishedAt: run.finishedAt ?? new Date(),
    },
    { inputTokens: totals._sum.inputTokens ?? 0, outputTokens: totals._sum.outputTokens ?? 0, costUsd: Number(totals._sum.costUsd ?? 0) },
  );
  return insertIfAbsent(tx, span);
}

/** A span as the console shows it: timings, tokens, cost and status read out of its attributes. */
export type TraceSpanView = {
  spanId: string;
  parentSpanId: string | null;
  kind: SpanKind;
  name: string;
  stepIndex: number | null;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  status: SpanStatus;
  statusMessage: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  model: string | null;
  toolName: string | null;
  attributes: SpanAttributes;
};

export type RunTrace = {
  runId: string;
  traceId: string;
  /** The run's own state: while it runs there is no root span yet, only its steps'. */
  run: { status: string; startedAt: Date | null; finishedAt: Date | null; createdAt: Date };
  /** The root span first, then the steps in order. */
  spans: TraceSpanView[];
};

function numberAttribute(attributes: SpanAttributes, key: string): number {
  const value = attributes[key];
  return typeof value === 'number' ? value : 0;
}

function textAttribute(attributes: SpanAttributes, key: string): string | null {
  const value = attributes[key];
  return typeof value === 'string' ? value : null;
}

export async function traceOfRun(tx: Tx, workspaceId: string, runId: string): Promise<RunTrace> {
  const run = await tx.run
    .findUnique({ where: { workspaceId_id: { workspaceId, id: runId } }, select: { status: true, startedAt: true, finishedAt: true, createdAt: true } })
    // A malformed id is a run that does not exist.
    .catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError || error instanceof Prisma.PrismaClientValidationError) return null;
      throw error;
    });
  if (!run) throw new NotFound('Run not found');
  const rows = await tx.traceSpan.findMany({
    where: { workspaceId, runId },
    orderBy: [{ stepIndex: { sort: 'asc', nulls: 'first' } }, { startedAt: 'asc' }],
  });
  return {
    runId,
    traceId: traceIdOfRun(runId),
    run,
    spans: rows.map((row) => {
      const attributes = row.attributes as SpanAttributes;
      return {
        spanId: row.spanId,
        parentSpanId: row.parentSpanId,
        kind: row.kind as SpanKind,
        name: row.name,
        stepIndex: row.stepIndex,
        startedAt: row.startedAt,
        endedAt: row.endedAt,
        durationMs: row.endedAt.getTime() - row.startedAt.getTime(),
        status: row.status as SpanStatus,
        statusMessage: row.statusMessage,
        inputTokens: numberAttribute(attributes, GEN_AI.usageInputTokens),
        outputTokens: numberAttribute(attributes, GEN_AI.usageOutputTokens),
        costUsd: numberAttribute(attributes, ENCLAVE.costUsd),
        model: textAttribute(attributes, GEN_AI.responseModel) ?? textAttribute(attributes, GEN_AI.requestModel),
        toolName: textAttribute(attributes, GEN_AI.toolName),
        attributes,
      };
    }),
  };
}
