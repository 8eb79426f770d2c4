// Account procedures: sign-up (neutral about existing emails) and its mailed
// link, who am I, the caller's name, password and sessions, their security
// activity, and password reset by one-time link. Sign-in itself is next-auth's.
import { z } from 'zod';
import { accountEventsOf } from '../../tenancy/account-events';
import { changePassword, endSession, renameAccount, signOutEverywhere, type AccountActor } from '../../tenancy/account-settings';
import { requestPasswordReset, resetLinkPreview, resetPassword } from '../../tenancy/password-resets';
import { liveSessions } from '../../tenancy/sessions';
import { completeSignUp, requestSignUp } from '../../tenancy/sign-up-requests';
import type { Context, SessionUser } from '../context';
import { authedProcedure, publicProcedure, router } from '../init';
import { emailSchema, passwordSchema, personNameSchema } from '../schemas';

export const accountSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), isOperator: z.boolean() });
export const accountEventSchema = z.object({
  id: z.string(),
  action: z.string(),
  createdAt: z.date(),
  clientAddress: z.string().nullable(),
  subjectEmail: z.string().nullable(),
  actorEmail: z.string().nullable(),
});
const tokenSchema = z.string().min(20).max(100);
const sessionSchema = z.object({
  id: z.string(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  userAgent: z.string().nullable(),
  clientAddress: z.string().nullable(),
  current: z.boolean(),
});

function actorOf(ctx: Context & { user: SessionUser }): AccountActor {
  return { userId: ctx.user.id, sessionId: ctx.user.sessionId, clientAddress: ctx.ip };
}

export const accountRouter = router({
  signUp: publicProcedure
    .input(z.object({ email: emailSchema, name: personNameSchema, password: passwordSchema }))
    .output(z.object({ outcome: z.enum(['ready', 'check-inbox']), message: z.string() }))
    .mutation(({ ctx, input }) => requestSignUp(input, ctx.ip)),

  completeSignUp: publicProcedure
    .input(z.object({ token: tokenSchema }))
    .output(z.object({ email: z.string() }))
    .mutation(async ({ input }) => ({ email: (await completeSignUp(input.token)).email })),

  me: authedProcedure.output(accountSchema).query(({ ctx }) => ctx.user),

  rename: authedProcedure
    .input(z.object({ name: personNameSchema }))
    .output(accountSchema)
    .mutation(({ ctx, input }) => renameAccount(actorOf(ctx), input.name)),

  changePassword: authedProcedure
    .input(z.object({ currentPassword: z.string().min(1, 'Enter your current password').max(200), newPassword: passwordSchema }))
    .output(z.object({ otherSessionsEnded: z.number() }))
    .mutation(({ ctx, input }) => changePassword(actorOf(ctx), input)),

  sessions: authedProcedure.output(z.array(sessionSchema)).query(async ({ ctx }) =>
    (await liveSessions(ctx.user.id)).map((s) => ({ ...s, current: s.id === ctx.user.sessionId })),
  ),

  endSession: authedProcedure
    .input(z.object({ sessionId: z.string().max(64) }))
    .output(z.object({ ended: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await endSession(actorOf(ctx), input.sessionId);
      return { ended: true as const };
    }),

  signOutEverywhere: authedProcedure
    .output(z.object({ ended: z.number() }))
    .mutation(async ({ ctx }) => ({ ended: await signOutEverywhere(actorOf(ctx)) })),

  securityEvents: authedProcedure.output(z.array(accountEventSchema)).query(({ ctx }) => accountEventsOf(ctx.user.id)),

  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailSchema }))
    .output(z.object({ message: z.string(), mailed: z.boolean() }))
    .mutation(({ ctx, input }) => requestPasswordReset(input.email, ctx.ip)),

  resetLink: publicProcedure
    .input(z.object({ token: tokenSchema }))
    .output(z.object({ email: z.string() }))
    .query(({ input }) => resetLinkPreview(input.token)),

  resetPassword: publicProcedure
    .input(z.object({ token: tokenSchema, password: passwordSchema }))
    .output(z.object({ email: z.string() }))
    .mutation(({ ctx, input }) => resetPassword(input.token, input.password, ctx.ip)),
});
