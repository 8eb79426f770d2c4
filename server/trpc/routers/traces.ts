// Trace procedures: the spans of one run's trace (run, model calls, tool calls)
// with timings, tokens, cost and status, for whoever may read the run.
import { z } from 'zod';
import { traceOfRun } from '../../observability/trace-spans';
import { router, scopedProcedure } from '../init';

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

const spanSchema = z.object({
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  kind: z.enum(['run', 'model', 'tool', 'approval']),
  name: z.string(),
  stepIndex: z.number().nullable(),
  startedAt: z.date(),
  endedAt: z.date(),
  durationMs: z.number(),
  status: z.enum(['ok', 'error']),
  statusMessage: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  model: z.string().nullable(),
  toolName: z.string().nullable(),
  attributes: z.record(z.string(), attributeValue),
});

const runTraceSchema = z.object({
  runId: z.string(),
  traceId: z.string(),
  run: z.object({ status: z.string(), startedAt: z.date().nullable(), finishedAt: z.date().nullable(), createdAt: z.date() }),
  spans: z.array(spanSchema),
});

export const tracesRouter = router({
  forRun: scopedProcedure('runs:read')
    .input(z.object({ runId: z.string().uuid('Run not found') }))
    .output(runTraceSchema)
    .query(({ ctx, input }) => traceOfRun(ctx.db, ctx.actor.workspaceId, input.runId)),
});
