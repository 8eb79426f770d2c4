// Approval procedures: the inbox (pending first, then the decided history), the
// approvals of one run, and the decisions — approve (reason optional) and reject
// (reason required), for roles holding approvals:decide.
import { z } from 'zod';
import { APPROVAL_DECISIONS, approvalsOfRun, approvalsOfWorkspace, approveApproval, REASON_MAX, rejectApproval } from '../../governance/approvals';
import { RUN_STATES } from '../../agents/run-states';
import { router, scopedProcedure } from '../init';

const approvalSchema = z.object({
  id: z.string(),
  runId: z.string(),
  runStatus: z.enum(RUN_STATES),
  agentName: z.string(),
  stepIndex: z.number(),
  kind: z.enum(['tool', 'model']),
  toolName: z.string().nullable(),
  toolArgs: z.unknown(),
  model: z.string().nullable(),
  estimatedCostUsd: z.number().nullable(),
  rule: z.string(),
  requestedAt: z.date(),
  expiresAt: z.date(),
  decision: z.enum(APPROVAL_DECISIONS).nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.date().nullable(),
  reason: z.string().nullable(),
});

const approvalIdInput = z.object({ approvalId: z.string().uuid('Approval not found') });
const reasonSchema = z.string().trim().max(REASON_MAX, `A reason is at most ${REASON_MAX} characters`);

export const approvalsRouter = router({
  list: scopedProcedure('runs:read')
    .input(z.object({ limit: z.number().int().min(1).max(500).optional() }))
    .output(z.object({ pending: z.array(approvalSchema), decided: z.array(approvalSchema) }))
    .query(({ ctx, input }) => approvalsOfWorkspace(ctx.db, ctx.actor.workspaceId, input)),

  forRun: scopedProcedure('runs:read')
    .input(z.object({ runId: z.string().uuid('Run not found') }))
    .output(z.array(approvalSchema))
    .query(({ ctx, input }) => approvalsOfRun(ctx.db, ctx.actor.workspaceId, input.runId)),

  approve: scopedProcedure('approvals:decide')
    .input(approvalIdInput.extend({ reason: reasonSchema.optional() }))
    .output(approvalSchema)
    .mutation(({ ctx, input }) => approveApproval(ctx.db, ctx.actor, input.approvalId, input.reason ?? null, ctx.afterCommit)),

  reject: scopedProcedure('approvals:decide')
    .input(approvalIdInput.extend({ reason: reasonSchema.min(1, 'Give a reason for the rejection') }))
    .output(approvalSchema)
    .mutation(({ ctx, input }) => rejectApproval(ctx.db, ctx.actor, input.approvalId, input.reason, ctx.afterCommit)),
});
