// Prompt library procedures: list snippets (with who includes them), create,
// change the text, delete one nothing includes.
import { z } from 'zod';
import { createSnippet, deleteSnippet, snippetsOfWorkspace, updateSnippet } from '../../agents/prompt-snippets';
import { router, scopedProcedure } from '../init';
import { snippetNameSchema } from '../schemas';

const snippetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  body: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  usedBy: z.array(z.string()),
});

const body = z.string().max(16_000, 'Keep a snippet under 16000 characters');
const description = z.string().trim().max(200, 'Use at most 200 characters');

export const promptsRouter = router({
  list: scopedProcedure('agents:read')
    .output(z.array(snippetSchema))
    .query(({ ctx }) => snippetsOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  create: scopedProcedure('agents:write')
    .input(z.object({ name: snippetNameSchema, description, body }))
    .output(snippetSchema)
    .mutation(({ ctx, input }) => createSnippet(ctx.db, ctx.actor, input)),

  update: scopedProcedure('agents:write')
    .input(z.object({ snippetId: z.string().uuid(), description, body }))
    .output(snippetSchema)
    .mutation(({ ctx, input }) => updateSnippet(ctx.db, ctx.actor, input.snippetId, input)),

  delete: scopedProcedure('agents:write')
    .input(z.object({ snippetId: z.string().uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteSnippet(ctx.db, ctx.actor, input.snippetId);
      return { ok: true as const };
    }),
});
