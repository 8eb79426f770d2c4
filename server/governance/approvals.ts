// Approvals as admins decide them: the inbox (pending first, then decided), a
// run's approvals, and the decisions. Approving moves the run from
// awaiting_approval back to queued (its deadline pushed back by the time it
// waited) so a worker resumes it at the step that asked; rejecting, expiring or
// cancelling fails or cancels the run. Each decision is a conditional update of
// both rows in the caller's tenant transaction, so two admins, or an admin and the
// expiry sweep, can never both decide one approval; each is audited and leaves
// an approval span in the run's trace.
import { Prisma } from '../db/generated/client';
import type { Tx } from '../db/with-workspace';
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { recordAudit } from '../observability/audit';
import { exportSpans } from '../observability/otel-export';
import { recordApprovalSpan, recordRunSpan, type StoredSpan } from '../observability/trace-spans';
import type { Actor } from '../tenancy/members';
import { assertTransition, type RunState } from '../agents/run-states';
import { usd } from './approval-rules';

export const APPROVAL_DECISIONS = ['approved', 'rejected', 'expired', 'cancelled'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export type ApprovalView = {
  id: string;
  runId: string;
  runStatus: RunState;
  agentName: string;
  stepIndex: number;
  kind: 'tool' | 'model';
  toolName: string | null;
  toolArgs: unknown;
  model: string | null;
  estimatedCostUsd: number | null;
  /** Why the step asked, in words. */
  rule: string;
  requestedAt: Date;
  expiresAt: Date;
  decision: ApprovalDecision | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  reason: string | null;
};

export const REASON_MAX = 2000;

const approvalSelect = {
  id: true,
  runId: true,
  stepIndex: true,
  kind: true,
  toolName: true,
  toolArgs: true,
  model: true,
  estimatedCostUsd: true,
  rule: true,
  requestedAt: true,
  expiresAt: true,
  decision: true,
  decidedByName: true,
  decidedAt: true,
  reason: true,
  run: { select: { status: true, agent: { select: { name: true } } } },
} satisfies Prisma.RunApprovalSelect;

type ApprovalRow = Prisma.RunApprovalGetPayload<{ select: typeof approvalSelect }>;

function viewOf(row: ApprovalRow): ApprovalView {
  return {
    id: row.id,
    runId: row.runId,
    runStatus: row.run.status as RunState,
    agentName: row.run.agent.name,
    stepIndex: row.stepIndex,
    kind: row.kind as ApprovalView['kind'],
    toolName: row.toolName,
    toolArgs: row.toolArgs,
    model: row.model,
    estimatedCostUsd: row.estimatedCostUsd === null ? null : Number(row.estimatedCostUsd),
    rule: row.rule,
    requestedAt: row.requestedAt,
    expiresAt: row.expiresAt,
    decision: row.decision as ApprovalDecision | null,
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt,
    reason: row.reason,
  };
}

/** The inbox: every pending approval (the oldest request first), then the `limit` most recently decided. */
export async function approvalsOfWorkspace(tx: Tx, workspaceId: string, options: { limit?: number } = {}): Promise<{ pending: ApprovalView[]; decided: ApprovalView[] }> {
  const [pending, decided] = await Promise.all([
    tx.runApproval.findMany({ where: { workspaceId, decision: null }, orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }], take: 500, select: approvalSelect }),
    tx.runApproval.findMany({
      where: { workspaceId, decision: { not: null } },
      orderBy: [{ decidedAt: 'desc' }, { id: 'desc' }],
      take: Math.min(options.limit ?? 50, 500),
      select: approvalSelect,
    }),
  ]);
  return { pending: pending.map(viewOf), decided: decided.map(viewOf) };
}

/** The approvals a run's steps asked for, by step; a run that is not this workspace's is not found. */
export async function approvalsOfRun(tx: Tx, workspaceId: string, runId: string): Promise<ApprovalView[]> {
  const run = await tx.run.findUnique({ where: { workspaceId_id: { workspaceId, id: runId } }, select: { id: true } }).catch((error: unknown) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError || error instanceof Prisma.PrismaClientValidationError) return null;
    throw error;
  });
  if (!run) throw new NotFound('Run not found');
  const rows = await tx.runApproval.findMany({ where: { workspaceId, runId }, orderBy: { stepIndex: 'asc' }, select: approvalSelect });
  return rows.map(viewOf);
}

/** The step indexes of the run whose approval was given: the run loop executes them without asking again. */
export async function approvedStepsOfRun(tx: Tx, workspaceId: string, runId: string): Promise<number[]> {
  const rows = await tx.runApproval.findMany({ where: { workspaceId, runId, decision: 'approved' }, select: { stepIndex: true } });
  return rows.map((r) => r.stepIndex);
}

async function approvalById(tx: Tx, workspaceId: string, approvalId: string): Promise<ApprovalRow> {
  const row = await tx.runApproval
    .findUnique({ where: { workspaceId_id: { workspaceId, id: approvalId } }, select: approvalSelect })
    .catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError || error instanceof Prisma.PrismaClientValidationError) return null;
      throw error;
    });
  if (!row) throw new NotFound('Approval not found');
  return row;
}

function assertPending(row: ApprovalRow, now: Date): void {
  if (row.decision) throw new Conflict(`This approval was already ${row.decision}.`);
  if (row.expiresAt.getTime() <= now.getTime()) throw new Conflict('This approval has expired; the run fails without it.');
}

/** What the step asked for, in a few words ("the tool send_email", "a model call to gpt-4o (up to $0.12)"). */
function askedFor(row: Pick<ApprovalRow, 'kind' | 'toolName' | 'model' | 'estimatedCostUsd'>): string {
  return row.kind === 'tool'
    ? `the tool ${row.toolName}`
    : `a model call to ${row.model} (up to ${usd(Number(row.estimatedCostUsd ?? 0))})`;
}

async function nameOf(tx: Tx, userId: string): Promise<string> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true, email: true } });
  return user?.name?.trim() || user?.email || 'an admin';
}

type AfterCommit = (task: () => Promise<unknown>) => void;

/** Marks the pending approval decided; false when someone decided it first. */
async function decide(tx: Tx, workspaceId: string, row: ApprovalRow, decision: ApprovalDecision, by: { userId: string | null; name: string | null }, reason: string | null, now: Date) {
  const updated = await tx.runApproval.updateMany({
    where: { workspaceId, id: row.id, decision: null },
    data: { decision, decidedBy: by.userId, decidedByName: by.name, decidedAt: now, reason },
  });
  return updated.count === 1;
}

async function spansOfDecision(tx: Tx, workspaceId: string, row: ApprovalRow, decision: ApprovalDecision, now: Date, message: string | null, finished: boolean) {
  const spans: (StoredSpan | null)[] = [
    await recordApprovalSpan(tx, workspaceId, row.runId, {
      stepIndex: row.stepIndex,
      kind: row.kind as 'tool' | 'model',
      toolName: row.toolName,
      model: row.model,
      estimatedCostUsd: row.estimatedCostUsd === null ? null : Number(row.estimatedCostUsd),
      decision,
      requestedAt: row.requestedAt,
      decidedAt: now,
      message,
    }),
  ];
  if (finished) spans.push(await recordRunSpan(tx, workspaceId, row.runId));
  return spans;
}

/**
 * Approves the step: the run is queued again (a worker resumes it at this step
 * and makes the approved call once), with its deadline moved back by the wait.
 */
export async function approveApproval(tx: Tx, actor: Actor, approvalId: string, reason: string | null, afterCommit?: AfterCommit): Promise<ApprovalView> {
  const row = await approvalById(tx, actor.workspaceId, approvalId);
  const now = new Date();
  assertPending(row, now);
  assertTransition(row.run.status as RunState, 'queued');
  const requeued = await tx.$executeRaw`
    UPDATE runs SET status = 'queued', deadline_at = deadline_at + (${now}::timestamptz - ${row.requestedAt}::timestamptz)
    WHERE workspace_id = ${actor.workspaceId}::uuid AND id = ${row.runId}::uuid AND status = 'awaiting_approval'`;
  const name = await nameOf(tx, actor.userId);
  const text = reason?.trim() || null;
  if (requeued !== 1 || !(await decide(tx, actor.workspaceId, row, 'approved', { userId: actor.userId, name }, text, now))) {
    throw new Conflict('This approval was decided meanwhile.');
  }
  const spans = await spansOfDecision(tx, actor.workspaceId, row, 'approved', now, null, false);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'approval.approved',
    target: row.runId,
    metadata: { approvalId: row.id, stepIndex: row.stepIndex, asked: askedFor(row), ...(text ? { reason: text } : {}) },
  });
  afterCommit?.(async () => exportSpans(spans));
  return viewOf(await approvalById(tx, actor.workspaceId, approvalId));
}

/** Rejects the step with a reason: the run fails with "rejected by <name>: <reason>". */
export async function rejectApproval(tx: Tx, actor: Actor, approvalId: string, reason: string, afterCommit?: AfterCommit): Promise<ApprovalView> {
  const text = reason.trim();
  if (!text) throw new InvalidInput('Give a reason for the rejection.', 'reason');
  if (text.length > REASON_MAX) throw new InvalidInput(`A reason is at most ${REASON_MAX} characters.`, 'reason');
  const row = await approvalById(tx, actor.workspaceId, approvalId);
  const now = new Date();
  assertPending(row, now);
  const name = await nameOf(tx, actor.userId);
  const error = `The approval for ${askedFor(row)} was rejected by ${name}: ${text}`;
  await failWaitingRun(tx, actor.workspaceId, row, 'failed', error, now);
  if (!(await decide(tx, actor.workspaceId, row, 'rejected', { userId: actor.userId, name }, text, now))) throw new Conflict('This approval was decided meanwhile.');
  const spans = await spansOfDecision(tx, actor.workspaceId, row, 'rejected', now, error, true);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'approval.rejected',
    target: row.runId,
    metadata: { approvalId: row.id, stepIndex: row.stepIndex, asked: askedFor(row), reason: text },
  });
  afterCommit?.(async () => exportSpans(spans));
  return viewOf(await approvalById(tx, actor.workspaceId, approvalId));
}

/**
 * Expires the approval if it is still pending and past its expiry, failing its
 * run; false when it was decided meanwhile (another sweep, an admin) or is not due.
 */
export async function expireApproval(tx: Tx, workspaceId: string, approvalId: string, now = new Date()): Promise<StoredSpan[] | null> {
  const row = await approvalById(tx, workspaceId, approvalId);
  if (row.decision || row.expiresAt.getTime() > now.getTime()) return null;
  const minutes = Math.round((row.expiresAt.getTime() - row.requestedAt.getTime()) / 60_000);
  const error = `The approval for ${askedFor(row)} expired after ${minutes} minute${minutes === 1 ? '' : 's'} without a decision.`;
  if (!(await decide(tx, workspaceId, row, 'expired', { userId: null, name: null }, null, now))) return null;
  const failed = await failWaitingRun(tx, workspaceId, row, 'failed', error, now, { tolerateMoved: true });
  const spans = await spansOfDecision(tx, workspaceId, row, 'expired', now, error, failed);
  await recordAudit(tx, {
    workspaceId,
    actorUserId: null,
    action: 'approval.expired',
    target: row.runId,
    metadata: { approvalId: row.id, stepIndex: row.stepIndex, asked: askedFor(row) },
  });
  return spans.filter((s): s is StoredSpan => s !== null);
}

/** A cancelled waiting run takes its pending approval with it (cancelRun, in the same transaction). */
export async function cancelPendingApproval(tx: Tx, actor: Actor, runId: string, now = new Date()): Promise<StoredSpan[]> {
  const rows = await tx.runApproval.findMany({ where: { workspaceId: actor.workspaceId, runId, decision: null }, select: approvalSelect });
  const spans: StoredSpan[] = [];
  for (const row of rows) {
    if (!(await decide(tx, actor.workspaceId, row, 'cancelled', { userId: actor.userId, name: await nameOf(tx, actor.userId) }, null, now))) continue;
    const [span] = await spansOfDecision(tx, actor.workspaceId, row, 'cancelled', now, 'The run was cancelled.', false);
    if (span) spans.push(span);
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'approval.cancelled',
      target: runId,
      metadata: { approvalId: row.id, stepIndex: row.stepIndex, asked: askedFor(row) },
    });
  }
  return spans;
}

/** Moves the waiting run to its final state; with tolerateMoved, a run no longer waiting is left as it is (false). */
async function failWaitingRun(
  tx: Tx,
  workspaceId: string,
  row: ApprovalRow,
  status: 'failed',
  error: string,
  now: Date,
  options: { tolerateMoved?: boolean } = {},
): Promise<boolean> {
  const updated = await tx.run.updateMany({
    where: { workspaceId, id: row.runId, status: 'awaiting_approval' },
    data: { status, error, finishedAt: now },
  });
  if (updated.count === 1) return true;
  if (options.tolerateMoved) return false;
  throw new Conflict('The run is no longer waiting for this approval.');
}
