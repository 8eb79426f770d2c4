// Secret procedures, write-only: list names and dates, create, replace a value,
// delete. No procedure returns a value or its ciphertext; the runtime decrypts
// through server/vault/decrypt-secret.ts for the call that needs it.
import { z } from 'zod';
import { createSecret, deleteSecret, replaceSecretValue, secretsOfWorkspace } from '../../vault/secrets';
import { router, scopedProcedure } from '../init';
import { secretNameSchema, secretValueSchema } from '../schemas';

const secretSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  lastUsedAt: z.date().nullable(),
});

export const secretsRouter = router({
  list: scopedProcedure('secrets:read')
    .output(z.array(secretSchema))
    .query(({ ctx }) => secretsOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  create: scopedProcedure('secrets:write')
    .input(z.object({ name: secretNameSchema, value: secretValueSchema }))
    .output(secretSchema)
    .mutation(({ ctx, input }) => createSecret(ctx.db, ctx.actor, input)),

  update: scopedProcedure('secrets:write')
    .input(z.object({ secretId: z.string().uuid(), value: secretValueSchema }))
    .output(secretSchema)
    .mutation(({ ctx, input }) => replaceSecretValue(ctx.db, ctx.actor, input.secretId, input.value)),

  delete: scopedProcedure('secrets:write')
    .input(z.object({ secretId: z.string().uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteSecret(ctx.db, ctx.actor, input.secretId);
      return { ok: true as const };
    }),
});
