// Agent procedures: list, read one with its versions, read or diff versions, preview
// the rendered prompt; create, publish a version, roll back, archive. Versions are
// immutable; the model's provider is the workspace default route until the gateway
// lets a version name one.
import { z } from 'zod';
import {
  agentById,
  agentsOfWorkspace,
  agentVersion,
  archiveAgent,
  createAgent,
  diffAgentVersions,
  previewSystemPrompt,
  publishAgentVersion,
  rollbackAgent,
  versionsOfAgent,
} from '../../agents/agents';
import { router, scopedProcedure } from '../init';
import { agentDescriptionSchema, agentNameSchema, agentVersionContentSchema, changeNoteSchema } from '../schemas';

const versionNumber = z.number().int().min(1).max(1_000_000);

const versionSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  version: z.number(),
  systemPrompt: z.string(),
  variables: z.array(z.object({ name: z.string(), default: z.string().nullable(), description: z.string() })),
  providerId: z.string().nullable(),
  model: z.string(),
  temperature: z.number(),
  maxSteps: z.number(),
  maxRunSeconds: z.number(),
  tools: z.array(z.string()),
  memoryEnabled: z.boolean(),
  knowledgeBaseIds: z.array(z.string()),
  knowledgeMode: z.enum(['automatic', 'tool']),
  outputSchema: z.record(z.string(), z.unknown()).nullable(),
  cacheEnabled: z.boolean(),
  cacheTtlSeconds: z.number(),
  cacheSimilarityThreshold: z.number().nullable(),
  changeNote: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});

const agentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  publishedVersion: z.number(),
  model: z.string(),
  archived: z.boolean(),
  updatedAt: z.date(),
});

const agentSchema = agentSummarySchema.omit({ model: true }).extend({ createdAt: z.date(), current: versionSchema });

const versionSummarySchema = z.object({
  version: z.number(),
  changeNote: z.string(),
  model: z.string(),
  createdAt: z.date(),
  authorName: z.string().nullable(),
});

const diffSchema = z.object({
  from: z.number(),
  to: z.number(),
  prompt: z.array(
    z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string(), oldLine: z.number().nullable(), newLine: z.number().nullable() }),
  ),
  fields: z.array(z.object({ field: z.string(), label: z.string(), from: z.string(), to: z.string() })),
});

const agentInput = z.object({ agentId: z.string().uuid() });

export const agentsRouter = router({
  list: scopedProcedure('agents:read')
    .output(z.array(agentSummarySchema))
    .query(({ ctx }) => agentsOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  get: scopedProcedure('agents:read')
    .input(agentInput)
    .output(agentSchema)
    .query(({ ctx, input }) => agentById(ctx.db, ctx.actor.workspaceId, input.agentId)),

  versions: scopedProcedure('agents:read')
    .input(agentInput)
    .output(z.array(versionSummarySchema))
    .query(({ ctx, input }) => versionsOfAgent(ctx.db, ctx.actor.workspaceId, input.agentId)),

  version: scopedProcedure('agents:read')
    .input(agentInput.extend({ version: versionNumber }))
    .output(versionSchema)
    .query(({ ctx, input }) => agentVersion(ctx.db, ctx.actor.workspaceId, input.agentId, input.version)),

  diff: scopedProcedure('agents:read')
    .input(agentInput.extend({ fromVersion: versionNumber, toVersion: versionNumber }))
    .output(diffSchema)
    .query(({ ctx, input }) => diffAgentVersions(ctx.db, ctx.actor.workspaceId, input.agentId, input.fromVersion, input.toVersion)),

  preview: scopedProcedure('agents:read')
    .input(agentInput.extend({ version: versionNumber }))
    .output(z.object({ text: z.string(), missingVariables: z.array(z.string()), problem: z.string().nullable() }))
    .query(({ ctx, input }) => previewSystemPrompt(ctx.db, ctx.actor.workspaceId, input.agentId, input.version)),

  create: scopedProcedure('agents:write')
    .input(agentVersionContentSchema.extend({ name: agentNameSchema, description: agentDescriptionSchema, changeNote: changeNoteSchema }))
    .output(agentSchema)
    .mutation(({ ctx, input }) => createAgent(ctx.db, ctx.actor, { ...input, providerId: null })),

  publish: scopedProcedure('agents:write')
    .input(agentVersionContentSchema.extend({ agentId: z.string().uuid(), description: agentDescriptionSchema, changeNote: changeNoteSchema }))
    .output(agentSchema)
    .mutation(({ ctx, input }) => {
      const { agentId, ...content } = input;
      return publishAgentVersion(ctx.db, ctx.actor, agentId, { ...content, providerId: null });
    }),

  rollback: scopedProcedure('agents:write')
    .input(agentInput.extend({ version: versionNumber }))
    .output(agentSchema)
    .mutation(({ ctx, input }) => rollbackAgent(ctx.db, ctx.actor, input.agentId, input.version)),

  archive: scopedProcedure('agents:write')
    .input(agentInput)
    .output(agentSchema)
    .mutation(({ ctx, input }) => archiveAgent(ctx.db, ctx.actor, input.agentId)),
});
