// Tool procedures: the built-in tools with their parameter schemas, and the
// workspace's custom HTTP tools (create, replace the definition, delete). No
// procedure returns a secret's value: a custom tool names its auth secret only.
import { z } from 'zod';
import { createCustomTool, customToolsOfWorkspace, deleteCustomTool, updateCustomTool } from '../../agents/custom-tools';
import { builtInTools } from '../../agents/tools/tool-registry';
import { router, scopedProcedure } from '../init';

const methodSchema = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const customToolSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  method: methodSchema,
  urlTemplate: z.string(),
  headers: z.record(z.string(), z.string()),
  auth: z.object({ header: z.string(), secretName: z.string().nullable(), prefix: z.string() }).nullable(),
  enabled: z.boolean(),
  updatedAt: z.date(),
});

/** Checked in full by parseCustomHttpToolDefinition; these bounds only keep requests small. */
const definitionFields = z.object({
  description: z.string().trim().min(1, 'Describe what the tool does').max(1024),
  parameters: z.record(z.string(), z.unknown()),
  method: methodSchema,
  urlTemplate: z.string().trim().min(1, 'Enter the URL').max(2048),
  headers: z.record(z.string().max(128), z.string().max(4096)).optional(),
  authHeader: z.string().trim().max(128),
  authSecretName: z.string().trim().max(128),
  authPrefix: z.string().max(32),
  enabled: z.boolean(),
});

export const toolsRouter = router({
  list: scopedProcedure('tools:read')
    .output(
      z.object({
        builtIns: z.array(z.object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) })),
        custom: z.array(customToolSchema),
      }),
    )
    .query(async ({ ctx }) => ({
      builtIns: builtInTools().map(({ name, description, parameters }) => ({ name, description, parameters })),
      custom: await customToolsOfWorkspace(ctx.db, ctx.actor.workspaceId),
    })),

  create: scopedProcedure('tools:write')
    .input(definitionFields.extend({ name: z.string().trim().min(1, 'Name the tool').max(64) }))
    .output(customToolSchema)
    .mutation(({ ctx, input }) => createCustomTool(ctx.db, ctx.actor, input)),

  update: scopedProcedure('tools:write')
    .input(definitionFields.extend({ toolId: z.string().uuid() }))
    .output(customToolSchema)
    .mutation(({ ctx, input }) => {
      const { toolId, ...definition } = input;
      return updateCustomTool(ctx.db, ctx.actor, toolId, definition);
    }),

  delete: scopedProcedure('tools:write')
    .input(z.object({ toolId: z.string().uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteCustomTool(ctx.db, ctx.actor, input.toolId);
      return { ok: true as const };
    }),
});
