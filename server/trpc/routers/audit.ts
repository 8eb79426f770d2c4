// Audit log procedures (admins and owners): filtered pages, the filter menus,
// chain verification, and recording a CSV export (the route handler
// app/api/audit/csv streams the pages after it).
import { z } from 'zod';
import { verifyAuditChain } from '../../observability/audit-chain';
import { recordAudit } from '../../observability/audit';
import { auditFilterChoices, auditLogPage, type AuditFilter } from '../../observability/audit-log';
import { router, scopedProcedure } from '../init';
import { FILTER_YEARS_RULE, isFilterYear, uuidSchema } from '../schemas';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayString = (label: string) =>
  z
    .string()
    .regex(DAY, `${label} must be a date (YYYY-MM-DD)`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), `${label} is not a real date`)
    .refine((v) => isFilterYear(new Date(`${v}T00:00:00Z`)), `${label} must be ${FILTER_YEARS_RULE}`);

export const auditFilterSchema = z
  .object({
    actor: z.union([z.literal('system'), uuidSchema('Actor')]).optional(),
    action: z.string().trim().max(100, 'Action can be at most 100 characters').regex(/^[a-z0-9_.]*$/, 'Choose an action from the list').optional(),
    from: dayString('From').optional(),
    to: dayString('To').optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'From must not be after To', path: ['to'] });

export type AuditFilterInput = z.infer<typeof auditFilterSchema>;

/** Days are UTC; To includes its whole day. */
export function toAuditFilter(input: AuditFilterInput): AuditFilter {
  const to = input.to ? new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000) : undefined;
  return {
    actor: input.actor,
    action: input.action || undefined,
    from: input.from ? new Date(`${input.from}T00:00:00Z`) : undefined,
    to,
  };
}

const eventSchema = z.object({
  seq: z.number(),
  id: z.string(),
  createdAt: z.date(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

const verificationSchema = z.discriminatedUnion('intact', [
  z.object({ intact: z.literal(true), events: z.number(), lastHash: z.string().nullable() }),
  z.object({ intact: z.literal(false), events: z.number(), position: z.number(), reason: z.enum(['edited', 'missing', 'relinked']), message: z.string() }),
]);

export const auditRouter = router({
  list: scopedProcedure('audit:read')
    .input(z.object({ filter: auditFilterSchema, before: z.number().int().positive().nullish(), limit: z.number().int().min(1).max(500).default(50) }))
    .output(z.object({ events: z.array(eventSchema), nextCursor: z.number().nullable() }))
    .query(({ ctx, input }) => auditLogPage(ctx.db, ctx.actor.workspaceId, toAuditFilter(input.filter), { before: input.before, limit: input.limit })),

  filters: scopedProcedure('audit:read')
    .output(z.object({ actions: z.array(z.string()), actors: z.array(z.object({ id: z.string(), label: z.string() })) }))
    .query(({ ctx }) => auditFilterChoices(ctx.db, ctx.actor.workspaceId)),

  verify: scopedProcedure('audit:read')
    .output(verificationSchema)
    .mutation(async ({ ctx }) => {
      const result = await verifyAuditChain(ctx.db, ctx.actor.workspaceId);
      await recordAudit(ctx.db, {
        workspaceId: ctx.actor.workspaceId,
        actorUserId: ctx.actor.userId,
        action: 'audit.verified',
        metadata: result.intact ? { intact: true, events: result.events } : { intact: false, position: result.position, reason: result.reason },
      });
      return result;
    }),

  recordCsvExport: scopedProcedure('audit:read')
    .input(z.object({ filter: auditFilterSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await recordAudit(ctx.db, { workspaceId: ctx.actor.workspaceId, actorUserId: ctx.actor.userId, action: 'audit.exported', metadata: { ...input.filter } });
      return { ok: true as const };
    }),
});
