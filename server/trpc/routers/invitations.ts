// Invitation procedures: list, create and revoke (admins), preview by token
// (anyone holding the link) and accept (the signed-in invitee).
import { z } from 'zod';
import {
  acceptInvitation,
  inviteMember,
  pendingInvitations,
  previewInvitation,
  revokeInvitation,
} from '../../tenancy/invitations';
import { deliverInvitationMail } from '../../tenancy/invitation-mail';
import { authedProcedure, publicProcedure, router, scopedProcedure } from '../init';
import { emailSchema, roleSchema, workspaceSummarySchema } from '../schemas';

const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.date(),
  expiresAt: z.date(),
  expired: z.boolean(),
});
const tokenSchema = z.string().min(20).max(100);

export const invitationsRouter = router({
  list: scopedProcedure('members:read')
    .output(z.array(invitationSchema))
    .query(({ ctx }) => pendingInvitations(ctx.db, ctx.actor.workspaceId)),

  create: scopedProcedure('members:write')
    .input(z.object({ email: emailSchema, role: roleSchema }))
    .output(z.object({ invitation: invitationSchema, url: z.string(), emailing: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const { invitation, url, mail } = await inviteMember(ctx.db, ctx.actor, input);
      if (mail) ctx.afterCommit(() => deliverInvitationMail(ctx.actor, mail));
      return { invitation, url, emailing: mail !== null };
    }),

  revoke: scopedProcedure('members:write')
    .input(z.object({ invitationId: z.string().uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(ctx.db, ctx.actor, input.invitationId);
      return { ok: true as const };
    }),

  preview: publicProcedure
    .input(z.object({ token: tokenSchema }))
    .output(
      z.object({
        workspaceName: z.string(),
        email: z.string(),
        role: roleSchema,
        status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
      }),
    )
    .query(({ input }) => previewInvitation(input.token)),

  accept: authedProcedure
    .input(z.object({ token: tokenSchema }))
    .output(workspaceSummarySchema)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.user, input.token)),
});
