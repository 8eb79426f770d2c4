// Model provider procedures: list, add, change, delete, test a connection; and
// the operator's private-egress grant. Adding or changing a provider resolves its
// base URL, and a test calls the model: both run outside the workspace transaction.
import { z } from 'zod';
import { withWorkspace } from '../../db/with-workspace';
import { defaultGateway } from '../../llm/default-gateway';
import { privateEgressAllowed, setPrivateEgress } from '../../llm/egress-grants';
import { forgetLlmConfig } from '../../llm/llm-config';
import { addProvider, changeProvider, deleteProvider, PROVIDER_KINDS, providersOfWorkspace } from '../../llm/providers';
import { testProvider } from '../../llm/provider-test';
import { LOCAL_MODELS, LOCAL_PROVIDER } from '../../llm/task-types';
import { nodeEgressAdapters } from '../../net/node-egress-adapters';
import { operatorProcedure, router, scopedOutboundProcedure, scopedProcedure, workspaceInput } from '../init';
import { textSchema } from '../schemas';

const providerInput = z.object({
  name: textSchema({ label: 'Provider name', max: 64, requiredMessage: 'Name the provider' }),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z.string().trim().min(1, 'Enter the base URL').max(2000),
  apiKeySecretId: z.string().uuid().nullable().optional(),
  models: z.array(z.string().trim().min(1).max(200)).max(50),
  enabled: z.boolean().default(true),
  priority: z.number().int().min(0).max(10_000).default(100),
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
});

const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z.string(),
  apiKeySecretId: z.string().nullable(),
  apiKeySecretName: z.string().nullable(),
  models: z.array(z.string()),
  enabled: z.boolean(),
  priority: z.number(),
  timeoutMs: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const shape = (p: z.infer<typeof providerSchema>) => providerSchema.parse(p);
const asInput = (input: z.infer<typeof providerInput>) => ({ ...input, apiKeySecretId: input.apiKeySecretId ?? null });

export const providersRouter = router({
  list: scopedProcedure('providers:read')
    .output(
      z.object({
        providers: z.array(providerSchema),
        builtIn: z.object({ id: z.literal(LOCAL_PROVIDER), name: z.string(), models: z.array(z.string()) }),
        allowPrivateAddresses: z.boolean(),
      }),
    )
    .query(async ({ ctx }) => ({
      providers: (await providersOfWorkspace(ctx.db, ctx.actor.workspaceId)).map(shape),
      builtIn: { id: LOCAL_PROVIDER, name: 'Built-in local model', models: [...LOCAL_MODELS] },
      allowPrivateAddresses: await privateEgressAllowed(ctx.db, ctx.actor.workspaceId),
    })),

  create: scopedOutboundProcedure('providers:write')
    .input(providerInput)
    .output(providerSchema)
    .mutation(async ({ ctx, input }) => shape(await addProvider(ctx.actor, asInput(input), nodeEgressAdapters))),

  update: scopedOutboundProcedure('providers:write')
    .input(providerInput.extend({ providerId: z.string().uuid() }))
    .output(providerSchema)
    .mutation(async ({ ctx, input }) => {
      const { providerId, ...fields } = input;
      return shape(await changeProvider(ctx.actor, providerId, asInput(fields), nodeEgressAdapters));
    }),

  delete: scopedProcedure('providers:write')
    .input(z.object({ providerId: z.string().uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteProvider(ctx.db, ctx.actor, input.providerId);
      // Again once committed, so a call made meanwhile cannot keep the old configuration cached.
      ctx.afterCommit(async () => forgetLlmConfig(ctx.actor.workspaceId));
      return { ok: true as const };
    }),

  test: scopedOutboundProcedure('providers:write')
    .input(
      z.object({
        providerId: z.union([z.literal(LOCAL_PROVIDER), z.string().uuid()]),
        model: z.string().trim().max(200).optional(),
        prompt: z.string().max(4000).optional(),
      }),
    )
    .output(
      z.object({
        provider: z.string(),
        model: z.string(),
        reply: z.string(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        costUsd: z.number(),
        latencyMs: z.number(),
      }),
    )
    .mutation(({ ctx, input }) => testProvider(defaultGateway(), ctx.actor, input)),

  /** Operator only: let this workspace's providers reach private addresses (an in-cluster model server). */
  allowPrivateEgress: operatorProcedure
    .input(workspaceInput.extend({ allowed: z.boolean() }))
    .output(z.object({ allowPrivateAddresses: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const grant = await withWorkspace(input.workspaceId, (tx) =>
        setPrivateEgress(tx, { workspaceId: input.workspaceId, allowed: input.allowed, operatorUserId: ctx.user.id }),
      );
      forgetLlmConfig(input.workspaceId);
      return grant;
    }),
});
