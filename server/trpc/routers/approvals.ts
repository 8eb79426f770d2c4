// Approval procedures: the inbox (pending first, then the decided history), the
// approvals of one run, and the decisions — approve (reason optional) and reject
// (reason required), for roles holding approvals:decide — and the approval rules
// of the workspace's policy (read by everyone, changed with workspace:update).
import { z } from 'zod';
import { APPROVAL_DECISIONS, approvalsOfRun, approvalsOfWorkspace, approveApproval, REASON_MAX, rejectApproval } from '../../governance/approvals';
import { RUN_STATES } from '../../agents/run-states';
import { approvalRulesOf, saveApprovalRules } from '../../governance/approval-rules-policy';
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

const rulesSchema = z.object({
  costAboveUsd: z.number({ error: 'Type an amount in USD, or leave it empty' }).nonnegative('A cost threshold cannot be negative').max(1_000_000, 'A cost threshold is at most $1,000,000').nullable(),
  tools: z.array(z.string().trim().min(1, 'A tool name cannot be empty').max(100, 'A tool name is at most 100 characters')).max(200, 'At most 200 tools'),
  expiresAfterMinutes: z.number({ error: 'Type a number of minutes' }).int('Whole minutes only').min(1, 'At least 1 minute').max(10_080, 'At most 10 080 minutes (a week)'),
});

export const approvalsRouter = router({
  rules: scopedProcedure('runs:read')
    .output(rulesSchema.extend({ policyVersion: z.number() }))
    .query(({ ctx }) => approvalRulesOf(ctx.db, ctx.actor.workspaceId)),

  saveRules: scopedProcedure('workspace:update')
    .input(rulesSchema)
    .output(rulesSchema.extend({ policyVersion: z.number() }))
    .mutation(({ ctx, input }) => saveApprovalRules(ctx.db, ctx.actor, input)),

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
