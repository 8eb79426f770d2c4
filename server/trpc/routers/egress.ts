// The workspace's egress allow-list: everyone who sees the tools sees which hosts
// they may reach (and whether the operator opened private addresses); the admins
// who manage tools add and remove entries.
import { z } from 'zod';
import { privateEgressAllowed } from '../../llm/egress-grants';
import { addAllowedHost, allowedHostsOfWorkspace, removeAllowedHost } from '../../net/egress-allow-list';
import { router, scopedProcedure } from '../init';
import { safeString } from '../schemas';

const allowedHostSchema = z.object({ id: z.string(), pattern: z.string(), note: z.string(), createdAt: z.date() });

export const egressRouter = router({
  allowList: scopedProcedure('tools:read')
    .output(z.object({ hosts: z.array(allowedHostSchema), allowPrivateAddresses: z.boolean() }))
    .query(async ({ ctx }) => ({
      hosts: await allowedHostsOfWorkspace(ctx.db, ctx.actor.workspaceId),
      allowPrivateAddresses: await privateEgressAllowed(ctx.db, ctx.actor.workspaceId),
    })),

  allowHost: scopedProcedure('tools:write')
    .input(
      z.object({
        pattern: safeString('Host').pipe(z.string().max(300, 'A host name is at most 253 characters.')),
        note: safeString('Note').pipe(z.string().max(200, 'Keep the note to 200 characters.')).optional(),
      }),
    )
    .output(allowedHostSchema)
    .mutation(({ ctx, input }) => addAllowedHost(ctx.db, ctx.actor, input)),

  removeHost: scopedProcedure('tools:write')
    .input(z.object({ hostId: z.string().uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await removeAllowedHost(ctx.db, ctx.actor, input.hostId);
      return { ok: true as const };
    }),
});
