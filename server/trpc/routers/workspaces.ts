// Workspace procedures: list and create (per user), resolve a slug, read,
// update, delete and leave (per workspace).
import { z } from 'zod';
import { leaveWorkspace } from '../../tenancy/members';
import {
  createWorkspace,
  deleteWorkspace,
  afterWorkspaceDeleted,
  updateWorkspace,
  workspaceBySlugForUser,
  workspaceDetails,
  workspacesOfUser,
} from '../../tenancy/workspaces';
import { recentAuditEvents } from '../../observability/audit';
import { authedProcedure, router, scopedProcedure, workspaceProcedure } from '../init';
import { safeString, slugSchema, workspaceNameSchema, workspaceSummarySchema } from '../schemas';

export const workspacesRouter = router({
  mine: authedProcedure.output(z.array(workspaceSummarySchema)).query(({ ctx }) => workspacesOfUser(ctx.user.id)),

  create: authedProcedure
    .input(z.object({ name: workspaceNameSchema, slug: slugSchema.optional() }))
    .output(workspaceSummarySchema)
    .mutation(({ ctx, input }) => createWorkspace(ctx.user.id, input)),

  bySlug: authedProcedure
    .input(z.object({ slug: safeString('URL').pipe(z.string().max(100, 'URL can be at most 100 characters')) }))
    .output(workspaceSummarySchema)
    .query(({ ctx, input }) => workspaceBySlugForUser(ctx.user.id, input.slug)),

  get: scopedProcedure('workspace:read')
    .output(
      z.object({
        id: z.string(),
        name: z.string(),
        slug: z.string(),
        plan: z.string(),
        createdAt: z.date(),
        memberCount: z.number(),
      }),
    )
    .query(({ ctx }) => workspaceDetails(ctx.db, ctx.actor.workspaceId)),

  activity: scopedProcedure('workspace:read')
    .output(
      z.array(
        z.object({
          id: z.string(),
          action: z.string(),
          target: z.string().nullable(),
          actorUserId: z.string().nullable(),
          createdAt: z.date(),
          reason: z.string().nullable(),
          budget: z.object({ name: z.string(), threshold: z.number().nullable() }).nullable(),
        }),
      ),
    )
    .query(({ ctx }) => recentAuditEvents(ctx.db, ctx.actor.workspaceId)),

  update: scopedProcedure('workspace:update')
    .input(z.object({ name: workspaceNameSchema.optional(), slug: slugSchema.optional() }))
    .output(z.object({ id: z.string(), name: z.string(), slug: z.string() }))
    .mutation(({ ctx, input }) =>
      updateWorkspace(ctx.db, ctx.actor.userId, ctx.actor.workspaceId, { name: input.name, slug: input.slug }),
    ),

  delete: scopedProcedure('workspace:delete')
    .input(z.object({ confirm: z.string().max(100, 'Type the workspace URL to confirm') }))
    .output(z.object({ ok: z.literal(true), receiptId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const receiptId = await deleteWorkspace(ctx.db, ctx.actor, input.confirm);
      ctx.afterCommit(() => afterWorkspaceDeleted(ctx.actor.userId, { workspaceId: ctx.actor.workspaceId, slug: input.confirm.trim(), receiptId }));
      return { ok: true as const, receiptId };
    }),

  leave: workspaceProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    await leaveWorkspace(ctx.db, ctx.actor);
    return { ok: true as const };
  }),
});
