// Operator procedures for accounts: the user directory, one-time password
// reset links (for installations without mail) and the account audit trail
// that records every link issued and used; and the workspace directory with
// each workspace's private-egress grant (changed by providers.allowPrivateEgress);
// and the receipts of deleted workspaces (row counts per table, never content).
import { z } from 'zod';
import { deletionReceipts } from '../../lifecycle/deletion-receipts';
import { workspaceEgressDirectory } from '../../llm/egress-grants';
import { accountDirectory } from '../../tenancy/account-directory';
import { recentAccountEvents } from '../../tenancy/account-events';
import { issueResetLink } from '../../tenancy/password-resets';
import { operatorProcedure, router } from '../init';
import { accountEventSchema } from './account';

export const adminRouter = router({
  users: operatorProcedure
    .input(z.object({ search: z.string().trim().max(254).optional() }))
    .output(
      z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), isOperator: z.boolean(), createdAt: z.date() })),
    )
    .query(({ input }) => accountDirectory(input.search)),

  issueResetLink: operatorProcedure
    .input(z.object({ userId: z.string().uuid() }))
    .output(z.object({ url: z.string(), email: z.string(), expiresAt: z.date() }))
    .mutation(({ ctx, input }) => issueResetLink({ userId: ctx.user.id, clientAddress: ctx.ip }, input.userId)),

  accountEvents: operatorProcedure.output(z.array(accountEventSchema)).query(() => recentAccountEvents()),

  workspaces: operatorProcedure
    .input(z.object({ search: z.string().trim().max(100).optional() }))
    .output(
      z.array(
        z.object({ id: z.string(), name: z.string(), slug: z.string(), allowPrivateAddresses: z.boolean(), updatedAt: z.date().nullable() }),
      ),
    )
    .query(({ input }) => workspaceEgressDirectory(input.search)),

  deletionReceipts: operatorProcedure
    .output(
      z.array(
        z.object({
          id: z.string(),
          deletedWorkspaceId: z.string(),
          slug: z.string(),
          deletedBy: z.string().nullable(),
          rowCounts: z.record(z.string(), z.number()),
          totalRows: z.number(),
          dataKeyDestroyed: z.boolean(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(() => deletionReceipts()),
});
