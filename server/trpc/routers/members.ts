// Member procedures: list, change role, remove.
import { z } from 'zod';
import { changeMemberRole, membersOfWorkspace, removeMember } from '../../tenancy/members';
import { router, scopedProcedure } from '../init';
import { roleSchema, uuidSchema } from '../schemas';

const memberSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  joinedAt: z.date(),
});

export const membersRouter = router({
  list: scopedProcedure('members:read')
    .output(z.array(memberSchema))
    .query(({ ctx }) => membersOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  changeRole: scopedProcedure('members:write')
    .input(z.object({ memberId: uuidSchema('Member'), role: roleSchema }))
    .output(z.object({ id: z.string(), role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, ctx.actor, input.memberId, input.role)),

  remove: scopedProcedure('members:write')
    .input(z.object({ memberId: uuidSchema('Member') }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.db, ctx.actor, input.memberId);
      return { ok: true as const };
    }),
});
