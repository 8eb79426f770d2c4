// Runs as users see them: start one (the same idempotency key gives the same
// run), list with filters, read one with its steps, request a cancel. Starting
// only enqueues (a worker, run-worker.ts, executes it) and counts against the
// workspace's runs started per minute; a repeated key does not count again.
import { randomUUID } from 'node:crypto';
import { Prisma } from '../db/generated/client';
import type { Tx } from '../db/with-workspace';
import { InvalidInput, NotFound } from '../domain-errors';
import { takeRateLimitIn } from '../governance/rate-limits';
import { cancelPendingApproval } from '../governance/approvals';
import { exportSpans } from '../observability/otel-export';
import { recordRunSpan } from '../observability/trace-spans';
import type { Actor } from '../tenancy/members';
import { agentById } from './agents';
import { assertTransition, isFinished, type RunState } from './run-states';

export type StartRunInput = {
  agentId: string;
  input: string;
  variables?: Record<string, string>;
  idempotencyKey?: string | null;
  endUserId?: string | null;
  /** Continue this thread of the end user (new when omitted and an end user is named). */
  threadId?: string | null;
};

export type RunSummary = {
  id: string;
  agentId: string;
  agentName: string;
  agentVersion: number;
  status: RunState;
  input: string;
  output: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelRequested: boolean;
  endUserId: string | null;
  threadId: string | null;
};

export type RunStepView = {
  stepIndex: number;
  kind: 'model' | 'tool';
  status: 'ok' | 'error';
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  toolName: string | null;
  toolCallId: string | null;
  toolArgs: unknown;
  toolResult: unknown;
  error: string | null;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  startedAt: Date;
  finishedAt: Date;
  /** A model step answered from the response cache: how it matched (similarity 1 for exact). */
  cacheHit?: { match: 'exact' | 'semantic'; similarity: number } | null;
};

export type RunDetail = RunSummary & { variables: Record<string, string>; steps: RunStepView[]; totals: { inputTokens: number; outputTokens: number; costUsd: number } };

export type RunFilters = { agentId?: string; status?: RunState; from?: Date; to?: Date; limit?: number };

const runSelect = {
  id: true,
  agentId: true,
  agentVersion: true,
  status: true,
  input: true,
  output: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  cancelRequested: true,
  variables: true,
  endUserId: true,
  threadId: true,
  agent: { select: { name: true } },
} satisfies Prisma.RunSelect;

type RunRow = Prisma.RunGetPayload<{ select: typeof runSelect }>;

function summaryOf(row: RunRow): RunSummary {
  return {
    id: row.id,
    agentId: row.agentId,
    agentName: row.agent.name,
    agentVersion: row.agentVersion,
    status: row.status as RunState,
    input: row.input,
    output: row.output,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    cancelRequested: row.cancelRequested,
    endUserId: row.endUserId,
    threadId: row.threadId,
  };
}

/** Enqueues a run of the agent's published version; a repeated idempotency key returns the first run. */
export async function startRun(tx: Tx, actor: Actor, input: StartRunInput): Promise<RunSummary> {
  const key = input.idempotencyKey?.trim() || null;
  if (key) {
    const existing = await tx.run.findUnique({ where: { workspaceId_idempotencyKey: { workspaceId: actor.workspaceId, idempotencyKey: key } }, select: runSelect });
    if (existing) {
      if (existing.agentId !== input.agentId) throw new InvalidInput('This idempotency key was already used for another agent.', 'idempotencyKey');
      return summaryOf(existing);
    }
  }
  const agent = await agentById(tx, actor.workspaceId, input.agentId);
  if (agent.archived) throw new InvalidInput('This agent is archived; restore it before running it.', 'agentId');
  if (!input.input.trim()) throw new InvalidInput('Type a message for the agent.', 'input');
  const endUserId = input.endUserId?.trim() || null;
  if (input.threadId && !endUserId) throw new InvalidInput('A thread belongs to an end user: name the end user to continue it.', 'threadId');
  // A run for an end user always has a thread: the one named, or a new one the worker creates.
  const threadId = endUserId ? (input.threadId ?? randomUUID()) : null;
  // Counted in this transaction: a start that rolls back gives its place back.
  await takeRateLimitIn(tx, actor.workspaceId, 'runs');
  const row = await tx.run.create({
    data: {
      workspaceId: actor.workspaceId,
      agentId: agent.id,
      agentVersion: agent.current.version,
      input: input.input,
      variables: input.variables ?? {},
      idempotencyKey: key,
      endUserId,
      threadId,
      createdBy: actor.userId,
    },
    select: runSelect,
  });
  return summaryOf(row);
}

export async function runsOfWorkspace(tx: Tx, workspaceId: string, filters: RunFilters = {}): Promise<RunSummary[]> {
  // Filtering by an agent that is not this workspace's is asking about something that does not exist.
  if (filters.agentId) await agentById(tx, workspaceId, filters.agentId);
  const rows = await tx.run.findMany({
    where: {
      workspaceId,
      ...(filters.agentId ? { agentId: filters.agentId } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.from || filters.to ? { createdAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.min(filters.limit ?? 100, 500),
    select: runSelect,
  });
  return rows.map(summaryOf);
}

type StepRow = Prisma.RunStepGetPayload<object>;

export function stepView(row: StepRow): RunStepView {
  const response = (row.response ?? {}) as { content?: string | null; toolCalls?: RunStepView['toolCalls']; cached?: { match: 'exact' | 'semantic'; similarity: number } };
  return {
    stepIndex: row.stepIndex,
    kind: row.kind as 'model' | 'tool',
    status: row.status as 'ok' | 'error',
    content: row.kind === 'model' ? (response.content ?? null) : null,
    toolCalls: row.kind === 'model' ? (response.toolCalls ?? []) : [],
    toolName: row.toolName,
    toolCallId: row.toolCallId,
    toolArgs: row.toolArgs,
    toolResult: row.toolResult,
    error: row.error,
    provider: row.provider,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: Number(row.costUsd),
    latencyMs: row.latencyMs,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    cacheHit: row.kind === 'model' && response.cached ? { match: response.cached.match, similarity: Number(response.cached.similarity) } : null,
  };
}

export async function stepsOfRun(tx: Tx, workspaceId: string, runId: string, afterIndex = -1): Promise<RunStepView[]> {
  const rows = await tx.runStep.findMany({ where: { workspaceId, runId, stepIndex: { gt: afterIndex } }, orderBy: { stepIndex: 'asc' } });
  return rows.map(stepView);
}

export async function runById(tx: Tx, workspaceId: string, runId: string): Promise<RunDetail> {
  const row = await tx.run.findUnique({ where: { workspaceId_id: { workspaceId, id: runId } }, select: runSelect }).catch((error: unknown) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError || error instanceof Prisma.PrismaClientValidationError) return null;
    throw error;
  });
  if (!row) throw new NotFound('Run not found');
  const steps = await stepsOfRun(tx, workspaceId, runId);
  const totals = steps.reduce(
    (sum, s) => ({ inputTokens: sum.inputTokens + s.inputTokens, outputTokens: sum.outputTokens + s.outputTokens, costUsd: sum.costUsd + s.costUsd }),
    { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  );
  return { ...summaryOf(row), variables: row.variables as Record<string, string>, steps, totals };
}

/**
 * Cancels a queued run, or one awaiting an approval (which is then cancelled
 * too), at once (with its trace's root span, exported through `afterCommit`
 * when given); a running one is flagged and its worker aborts the call in flight
 * within one lease renewal. A finished run is left as it is.
 */
export async function cancelRun(tx: Tx, actor: Actor, runId: string, afterCommit?: (task: () => Promise<unknown>) => void): Promise<RunSummary> {
  const run = await runById(tx, actor.workspaceId, runId);
  if (isFinished(run.status)) return run;
  if (run.status === 'queued' || run.status === 'awaiting_approval') {
    assertTransition(run.status, 'cancelled');
    const waiting = run.status === 'awaiting_approval';
    const updated = await tx.run.updateMany({
      where: { workspaceId: actor.workspaceId, id: runId, status: run.status },
      data: { status: 'cancelled', cancelRequested: true, finishedAt: new Date(), error: waiting ? 'Cancelled while it waited for an approval.' : 'Cancelled before it started.' },
    });
    if (updated.count === 1) {
      const approvalSpans = waiting ? await cancelPendingApproval(tx, actor, runId) : [];
      const span = await recordRunSpan(tx, actor.workspaceId, runId);
      afterCommit?.(async () => exportSpans([...approvalSpans, span]));
      return { ...run, status: 'cancelled', cancelRequested: true };
    }
  }
  await tx.run.updateMany({ where: { workspaceId: actor.workspaceId, id: runId }, data: { cancelRequested: true } });
  return { ...run, cancelRequested: true };
}
