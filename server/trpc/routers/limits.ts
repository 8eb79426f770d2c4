// Plans, quotas and rate limits: a workspace's current usage against each limit
// (its members), and the operator's directory and change of plans and overrides.
import { z } from 'zod';
import { LIMIT_FIELDS, PLAN_IDS, type LimitField } from '../../governance/limit-fields';
import { changeWorkspaceLimits, workspaceLimitDirectory, workspaceLimitSettings } from '../../governance/limit-settings';
import { limitsUsage } from '../../governance/limits-usage';
import { operatorProcedure, router, scopedProcedure, workspaceInput } from '../init';

const limitValues = <T extends z.ZodType>(value: T) => z.object(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, value])) as Record<LimitField, T>);
const overridesSchema = limitValues(z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable());
const planSchema = z.object({ id: z.enum(PLAN_IDS), name: z.string() }).extend(limitValues(z.number()).shape);

export const limitsRouter = router({
  usage: scopedProcedure('usage:read')
    .output(
      z.object({
        plan: z.enum(PLAN_IDS),
        planName: z.string(),
        windowStart: z.date(),
        usage: z.array(
          z.object({
            key: z.enum(['runsPerMinute', 'tokensPerMinute', 'apiRequestsPerMinute', 'concurrentRuns', 'knowledgeMaxChunks', 'knowledgeMaxBytes']),
            label: z.string(),
            used: z.number(),
            limit: z.number(),
            unit: z.enum(['count', 'bytes']),
          }),
        ),
        perRun: z.object({ maxRunDurationMs: z.number(), maxSteps: z.number() }),
      }),
    )
    .query(({ ctx }) => limitsUsage(ctx.db, ctx.actor.workspaceId)),

  directory: operatorProcedure
    .input(z.object({ search: z.string().trim().max(100).optional() }))
    .output(
      z.object({
        plans: z.array(planSchema),
        workspaces: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            slug: z.string(),
            plan: z.enum(PLAN_IDS),
            overrides: overridesSchema,
            overridesUpdatedAt: z.date().nullable(),
          }),
        ),
      }),
    )
    .query(({ input }) => workspaceLimitDirectory(input.search)),

  settings: operatorProcedure
    .input(workspaceInput)
    .output(z.object({ plan: z.enum(PLAN_IDS), overrides: overridesSchema, plans: z.array(planSchema) }))
    .query(({ input }) => workspaceLimitSettings(input.workspaceId)),

  set: operatorProcedure
    .input(workspaceInput.extend({ plan: z.enum(PLAN_IDS, 'Choose the free, pro or enterprise plan.'), overrides: overridesSchema }))
    .output(z.object({ plan: z.enum(PLAN_IDS), overrides: overridesSchema }))
    .mutation(({ ctx, input }) => changeWorkspaceLimits({ workspaceId: input.workspaceId, operatorUserId: ctx.user.id, plan: input.plan, overrides: input.overrides })),
});
