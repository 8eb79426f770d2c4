// Routing procedures: which provider and model serve each task type, with fallbacks.
import { z } from 'zod';
import { forgetLlmConfig } from '../../llm/llm-config';
import { setRoute, routesOfWorkspace } from '../../llm/routing';
import { LOCAL_PROVIDER, TASK_TYPES } from '../../llm/task-types';
import { router, scopedProcedure } from '../init';

const providerChoice = z.union([z.literal(LOCAL_PROVIDER), z.string().uuid()]);
const routeSchema = z.object({
  taskType: z.enum(TASK_TYPES),
  isDefault: z.boolean(),
  chain: z.array(z.object({ providerId: z.string(), providerName: z.string(), model: z.string() })),
});

export const routingRouter = router({
  get: scopedProcedure('providers:read')
    .output(z.array(routeSchema))
    .query(({ ctx }) => routesOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  /** The default provider and model for a task type, then its fallbacks in order. */
  set: scopedProcedure('providers:write')
    .input(
      z.object({
        taskType: z.enum(TASK_TYPES),
        providerId: providerChoice,
        model: z.string().trim().min(1, 'Choose a model').max(200),
        fallbacks: z.array(z.object({ providerId: providerChoice, model: z.string().trim().min(1).max(200) })).max(9).default([]),
      }),
    )
    .output(routeSchema)
    .mutation(({ ctx, input }) => {
      // Again once committed, so a call made meanwhile cannot keep the old route cached.
      ctx.afterCommit(async () => forgetLlmConfig(ctx.actor.workspaceId));
      return setRoute(ctx.db, ctx.actor, input.taskType, [{ providerId: input.providerId, model: input.model }, ...input.fallbacks]);
    }),

  /** Back to the built-in local model for this task type. */
  reset: scopedProcedure('providers:write')
    .input(z.object({ taskType: z.enum(TASK_TYPES) }))
    .output(routeSchema)
    .mutation(({ ctx, input }) => {
      ctx.afterCommit(async () => forgetLlmConfig(ctx.actor.workspaceId));
      return setRoute(ctx.db, ctx.actor, input.taskType, []);
    }),
});
