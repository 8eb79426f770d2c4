// Invitation procedures: list, create, resend and revoke (admins), preview by
// token (anyone holding the link) and accept (the signed-in invitee).
import { z } from 'zod';
import {
  acceptInvitation,
  inviteMember,
  pendingInvitations,
  previewInvitation,
  resendInvitation,
  revokeInvitation,
} from '../../tenancy/invitations';
import { deliverInvitationMail } from '../../tenancy/invitation-mail';
import { authedProcedure, publicProcedure, router, scopedProcedure } from '../init';
import { emailSchema, invitationTokenSchema, roleSchema, uuidSchema, workspaceSummarySchema } from '../schemas';

const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: z.date(),
  expiresAt: z.date(),
  expired: z.boolean(),
});
const issuedSchema = z.object({ invitation: invitationSchema, url: z.string(), emailing: z.boolean() });

export const invitationsRouter = router({
  list: scopedProcedure('members:read')
    .output(z.array(invitationSchema))
    .query(({ ctx }) => pendingInvitations(ctx.db, ctx.actor.workspaceId)),

  create: scopedProcedure('members:write')
    .input(z.object({ email: emailSchema, role: roleSchema, replaceExisting: z.boolean().optional() }))
    .output(issuedSchema)
    .mutation(async ({ ctx, input }) => {
      const { invitation, url, mail } = await inviteMember(ctx.db, ctx.actor, input);
      if (mail) ctx.afterCommit(() => deliverInvitationMail(ctx.actor, mail));
      return { invitation, url, emailing: mail !== null };
    }),

  resend: scopedProcedure('members:write')
    .input(z.object({ invitationId: uuidSchema('Invitation') }))
    .output(issuedSchema)
    .mutation(async ({ ctx, input }) => {
      const { invitation, url, mail } = await resendInvitation(ctx.db, ctx.actor, input.invitationId);
      if (mail) ctx.afterCommit(() => deliverInvitationMail(ctx.actor, mail));
      return { invitation, url, emailing: mail !== null };
    }),

  revoke: scopedProcedure('members:write')
    .input(z.object({ invitationId: uuidSchema('Invitation') }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(ctx.db, ctx.actor, input.invitationId);
      return { ok: true as const };
    }),

  preview: publicProcedure
    .input(z.object({ token: invitationTokenSchema }))
    .output(
      z.object({
        workspaceName: z.string(),
        email: z.string(),
        role: roleSchema,
        status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
        memberSlug: z.string().nullable(),
      }),
    )
    .query(({ ctx, input }) => previewInvitation(input.token, ctx.user?.id)),

  accept: authedProcedure
    .input(z.object({ token: invitationTokenSchema }))
    .output(workspaceSummarySchema)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.user, input.token)),
});
