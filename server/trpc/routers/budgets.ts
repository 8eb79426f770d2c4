// Budget procedures: everyone who sees usage sees budgets and their alerts;
// managers create, change and delete them (audited in the domain).
import { z } from 'zod';
import { budgetAlertsThisMonth, budgetBurnDown, budgetsOfWorkspace, createBudget, deleteBudget, updateBudget } from '../../governance/budgets';
import { router, scopedProcedure } from '../init';
import { textSchema, uuidSchema } from '../schemas';

const enforcementSchema = z.enum(['hard', 'soft'], { error: 'Choose hard (stop) or soft (alert only)' });
const limitSchema = z.coerce
  .number({ error: 'Enter the monthly limit in US dollars' })
  .refine((n) => Number.isFinite(n), 'Enter the monthly limit in US dollars')
  .refine((n) => n > 0, 'The monthly limit must be more than $0')
  .refine((n) => n <= 1_000_000_000, 'The monthly limit can be at most $1,000,000,000');
const nameSchema = textSchema({ label: 'Budget name', max: 80 });

const budgetSchema = z.object({
  id: z.string(),
  name: z.string(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  monthlyLimitUsd: z.number(),
  enforcement: enforcementSchema,
  spentUsd: z.number(),
  reservedUsd: z.number(),
  alerts: z.array(z.number()),
  periodStart: z.string(),
  updatedAt: z.date(),
});

export const budgetsRouter = router({
  list: scopedProcedure('usage:read')
    .output(z.array(budgetSchema))
    .query(({ ctx }) => budgetsOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  alerts: scopedProcedure('usage:read')
    .output(z.array(z.object({ budgetId: z.string(), budgetName: z.string(), threshold: z.number(), enforcement: enforcementSchema, createdAt: z.date() })))
    .query(({ ctx }) => budgetAlertsThisMonth(ctx.db, ctx.actor.workspaceId)),

  burnDown: scopedProcedure('usage:read')
    .input(z.object({ budgetId: uuidSchema('Budget') }))
    .output(z.array(z.object({ day: z.string(), spentUsd: z.number() })))
    .query(({ ctx, input }) => budgetBurnDown(ctx.db, ctx.actor.workspaceId, input.budgetId)),

  create: scopedProcedure('budgets:write')
    .input(
      z.object({
        name: nameSchema,
        agentId: uuidSchema('Agent').nullable().default(null),
        monthlyLimitUsd: limitSchema,
        enforcement: enforcementSchema,
      }),
    )
    .output(budgetSchema)
    .mutation(({ ctx, input }) => createBudget(ctx.db, ctx.actor, input)),

  update: scopedProcedure('budgets:write')
    .input(z.object({ budgetId: uuidSchema('Budget'), name: nameSchema, monthlyLimitUsd: limitSchema, enforcement: enforcementSchema }))
    .output(budgetSchema)
    .mutation(({ ctx, input }) => updateBudget(ctx.db, ctx.actor, input.budgetId, input)),

  delete: scopedProcedure('budgets:write')
    .input(z.object({ budgetId: uuidSchema('Budget') }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteBudget(ctx.db, ctx.actor, input.budgetId);
      return { ok: true as const };
    }),
});
