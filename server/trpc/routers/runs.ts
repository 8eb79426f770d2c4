// Run procedures: start a run of an agent's published version (enqueues only; the
// same idempotency key gives the same run), list with filters, read one with its
// steps, read the text its model step is streaming, request a cancel.
import { z } from 'zod';
import { RUN_STATES } from '../../agents/run-states';
import { cancelRun, runById, runsOfWorkspace, startRun } from '../../agents/runs';
import { parseCursor, streamedTextSince } from '../../agents/streamed-text';
import { router, scopedProcedure } from '../init';
import { dateFilterSchema } from '../schemas';

export const runInputSchema = z.string().trim().min(1, 'Type a message for the agent').max(100_000, 'The message is too long (100 000 characters at most)');
export const idempotencyKeySchema = z.string().trim().min(1).max(200, 'An idempotency key is at most 200 characters');

const runSummarySchema = z.object({
  id: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  agentVersion: z.number(),
  status: z.enum(RUN_STATES),
  input: z.string(),
  output: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  cancelRequested: z.boolean(),
  endUserId: z.string().nullable(),
  threadId: z.string().nullable(),
});

const stepSchema = z.object({
  stepIndex: z.number(),
  kind: z.enum(['model', 'tool']),
  status: z.enum(['ok', 'error']),
  content: z.string().nullable(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })),
  toolName: z.string().nullable(),
  toolCallId: z.string().nullable(),
  toolArgs: z.unknown(),
  toolResult: z.unknown(),
  error: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  latencyMs: z.number(),
  startedAt: z.date(),
  finishedAt: z.date(),
  cacheHit: z.object({ match: z.enum(['exact', 'semantic']), similarity: z.number() }).nullish(),
});

const runDetailSchema = runSummarySchema.extend({
  variables: z.record(z.string(), z.string()),
  steps: z.array(stepSchema),
  totals: z.object({ inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() }),
});

const runIdInput = z.object({ runId: z.string().uuid('Run not found') });

const streamedDeltaSchema = z.object({ stepIndex: z.number(), streamId: z.number(), text: z.string(), cursor: z.string() });

export const runsRouter = router({
  start: scopedProcedure('runs:write')
    .input(
      z.object({
        agentId: z.string().uuid('Agent not found'),
        input: runInputSchema,
        variables: z.record(z.string().max(64), z.string().max(10_000)).optional(),
        idempotencyKey: idempotencyKeySchema.optional(),
        /** The application's own id for the person the run serves (free text, not a user of this workspace). */
        endUser: z.string().trim().min(1, 'Type an end user id').max(200, 'An end user id is at most 200 characters').optional(),
        /** A thread of that end user to continue (a new one is started when omitted). */
        threadId: z.string().uuid('Thread not found').optional(),
      }),
    )
    .output(runSummarySchema)
    .mutation(({ ctx, input }) => startRun(ctx.db, ctx.actor, { ...input, endUserId: input.endUser ?? null, threadId: input.threadId ?? null })),

  list: scopedProcedure('runs:read')
    .input(
      z.object({
        agentId: z.string().uuid('Agent not found').optional(),
        status: z.enum(RUN_STATES).optional(),
        from: dateFilterSchema('From').optional(),
        to: dateFilterSchema('To').optional(),
        limit: z.number().int().min(1).max(500).optional(),
      }),
    )
    .output(z.array(runSummarySchema))
    .query(({ ctx, input }) => runsOfWorkspace(ctx.db, ctx.actor.workspaceId, input)),

  get: scopedProcedure('runs:read')
    .input(runIdInput)
    .output(runDetailSchema)
    .query(({ ctx, input }) => runById(ctx.db, ctx.actor.workspaceId, input.runId)),

  /** Text streamed by the run's steps from `fromStep` on, after `after` (a cursor a previous call returned). */
  streamed: scopedProcedure('runs:read')
    .input(
      runIdInput.extend({
        fromStep: z.number().int().min(0).max(100_000),
        after: z.string().regex(/^\d{1,9}\.\d{1,9}\.\d{1,9}$/, 'Not a stream cursor').optional(),
      }),
    )
    .output(z.array(streamedDeltaSchema))
    .query(({ ctx, input }) => streamedTextSince(ctx.db, ctx.actor.workspaceId, input.runId, { fromStep: input.fromStep, after: parseCursor(input.after) })),

  cancel: scopedProcedure('runs:write')
    .input(runIdInput)
    .output(runSummarySchema)
    .mutation(({ ctx, input }) => cancelRun(ctx.db, ctx.actor, input.runId, ctx.afterCommit)),
});
