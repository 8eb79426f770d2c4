// Usage procedures: tokens, cost and calls from the ledger over a period.
import { z } from 'zod';
import { usageSummary } from '../../llm/usage-summary';
import { router, scopedProcedure } from '../init';

const cacheFigures = { calls: z.number(), hits: z.number(), hitRate: z.number() };
const figures = { inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number(), calls: z.number(), errors: z.number() };

export const usageRouter = router({
  summary: scopedProcedure('usage:read')
    .input(z.object({ period: z.enum(['7d', '30d', '90d']).default('30d') }))
    .output(
      z.object({
        from: z.date(),
        to: z.date(),
        totals: z.object({ ...figures, unpricedCalls: z.number() }),
        byDay: z.array(z.object({ day: z.string(), ...figures })),
        byModel: z.array(z.object({ provider: z.string(), model: z.string(), ...figures })),
        byAgent: z.array(z.object({ agentId: z.string().nullable(), agentName: z.string().nullable(), ...figures })),
        cache: z.object({ ...cacheFigures, byAgent: z.array(z.object({ agentId: z.string(), agentName: z.string().nullable(), ...cacheFigures })) }),
      }),
    )
    .query(({ ctx, input }) => usageSummary(ctx.db, ctx.actor.workspaceId, input.period, new Date())),
});
