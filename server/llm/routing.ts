// Which provider and model serve each task type in a workspace: an ordered
// chain (the default first, then its fallbacks), and how one call's chain is
// built from it, an optional per-call override (an agent version's choice) and
// the enabled providers that list the same model (replicas, in priority order).
import { InvalidInput, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { forgetLlmConfig, type ProviderConfig, type RouteEntry, type WorkspaceLlmConfig } from './llm-config';
import { LOCAL_MODEL_FOR, LOCAL_MODELS, LOCAL_PROVIDER, TASK_TYPES, type TaskType } from './task-types';

/** 'local' is the built-in model; anything else a provider id of the workspace. */
export type ProviderChoice = { providerId: string; model: string };
export type RouteView = { taskType: TaskType; isDefault: boolean; chain: (ProviderChoice & { providerName: string })[] };
export type CallOverride = { providerId?: string; model?: string };

/** One attempt of a call: a provider (null: the built-in local model) and a model. */
export type Candidate = { provider: ProviderConfig | null; model: string };

export const MAX_CHAIN = 10;

export async function routesOfWorkspace(tx: Tx, workspaceId: string): Promise<RouteView[]> {
  const routes = await tx.llmRoute.findMany({ where: { workspaceId }, orderBy: [{ taskType: 'asc' }, { position: 'asc' }] });
  const providers = await tx.llmProvider.findMany({ where: { workspaceId }, select: { id: true, name: true } });
  return TASK_TYPES.map((taskType) => {
    const own = routes.filter((r) => r.taskType === taskType);
    const chain = own.length ? own : [{ providerId: null, model: LOCAL_MODEL_FOR[taskType] }];
    return {
      taskType,
      isDefault: own.length === 0,
      chain: chain.map((r) => ({
        providerId: r.providerId ?? LOCAL_PROVIDER,
        model: r.model,
        providerName: r.providerId ? (providers.find((p) => p.id === r.providerId)?.name ?? 'unknown') : LOCAL_PROVIDER,
      })),
    };
  });
}

/** Replaces a task type's chain; an empty chain goes back to the built-in default. */
export async function setRoute(tx: Tx, actor: Actor, taskType: TaskType, chain: ProviderChoice[]): Promise<RouteView> {
  if (chain.length > MAX_CHAIN) throw new InvalidInput(`A route has at most ${MAX_CHAIN} entries`, 'fallbacks');
  const entries: RouteEntry[] = [];
  for (const choice of chain) {
    const model = choice.model.trim();
    if (!model || model.length > 200) throw new InvalidInput('Choose a model (1–200 characters)', 'model');
    if (choice.providerId === LOCAL_PROVIDER) {
      entries.push({ providerId: null, model });
      continue;
    }
    const provider = await tx.llmProvider.findFirst({ where: { workspaceId: actor.workspaceId, id: choice.providerId }, select: { id: true } });
    if (!provider) throw new NotFound('Provider not found');
    entries.push({ providerId: provider.id, model });
  }
  await tx.llmRoute.deleteMany({ where: { workspaceId: actor.workspaceId, taskType } });
  if (entries.length) {
    await tx.llmRoute.createMany({
      data: entries.map((e, position) => ({ workspaceId: actor.workspaceId, taskType, position, providerId: e.providerId, model: e.model })),
    });
  }
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'routing.updated',
    target: taskType,
    metadata: { chain: entries.map((e) => `${e.providerId ?? LOCAL_PROVIDER}/${e.model}`) },
  });
  forgetLlmConfig(actor.workspaceId);
  const views = await routesOfWorkspace(tx, actor.workspaceId);
  return views.find((v) => v.taskType === taskType)!;
}

const key = (c: Candidate) => `${c.provider?.id ?? LOCAL_PROVIDER}\u0000${c.model}`;

function providerOf(config: WorkspaceLlmConfig, providerId: string): ProviderConfig | null | undefined {
  if (providerId === LOCAL_PROVIDER) return null;
  return config.providers.find((p) => p.id === providerId);
}

function overrideCandidate(config: WorkspaceLlmConfig, taskType: TaskType, override: CallOverride): Candidate {
  if (override.providerId) {
    const provider = providerOf(config, override.providerId);
    if (provider === undefined) throw new NotFound('Provider not found or disabled');
    const model = override.model ?? (provider ? provider.models[0] : LOCAL_MODEL_FOR[taskType]);
    if (!model) throw new InvalidInput(`Provider ${provider?.name} lists no models: name one`, 'model');
    return { provider, model };
  }
  const model = override.model!;
  const listing = config.providers.find((p) => p.models.includes(model));
  if (listing) return { provider: listing, model };
  if (LOCAL_MODELS.includes(model)) return { provider: null, model };
  throw new InvalidInput(`No enabled provider of this workspace lists the model ${model}`, 'model');
}

/**
 * The attempts of one call, in order: the override or the route's default, the
 * route's fallbacks (without an override), then every other enabled provider
 * listing the primary model.
 */
export function candidatesFor(config: WorkspaceLlmConfig, taskType: TaskType, override?: CallOverride): Candidate[] {
  const chain: Candidate[] = [];
  if (override?.providerId || override?.model) {
    chain.push(overrideCandidate(config, taskType, override));
  } else {
    const routes = config.routes[taskType];
    for (const route of routes.length ? routes : [{ providerId: null, model: LOCAL_MODEL_FOR[taskType] }]) {
      const provider = route.providerId === null ? null : config.providers.find((p) => p.id === route.providerId);
      if (provider !== undefined) chain.push({ provider, model: route.model });
    }
    if (!chain.length) throw new InvalidInput(`Every provider routed for ${taskType} is disabled: enable one or change the routing`, 'taskType');
  }
  const primaryModel = chain[0]!.model;
  for (const provider of config.providers) {
    if (provider.models.includes(primaryModel)) chain.push({ provider, model: primaryModel });
  }
  const seen = new Set<string>();
  return chain.filter((c) => !seen.has(key(c)) && seen.add(key(c)));
}
