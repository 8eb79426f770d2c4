// A workspace's gateway configuration as the call path needs it: enabled
// providers in priority order, routes per task type, the egress grant. Read in
// one short transaction and kept in memory per workspace for a few seconds, so a
// model call costs no configuration query (a busy workspace's entry is re-read
// in the background before it expires); writes in this process forget the
// entry at once, other processes see a change within CONFIG_TTL_MS.
import { withWorkspace } from '../db/with-workspace';
import { TASK_TYPES, type TaskType } from './task-types';

export const CONFIG_TTL_MS = 5_000;

export type ProviderConfig = {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  models: string[];
  timeoutMs: number;
  apiKeySecretName: string | null;
  /** Changes whenever the row changes: part of the SDK client cache key. */
  version: number;
};

/** providerId null is the built-in local model. */
export type RouteEntry = { providerId: string | null; model: string };

export type WorkspaceLlmConfig = {
  /** Enabled providers, highest priority (lowest number) first. */
  providers: ProviderConfig[];
  routes: Record<TaskType, RouteEntry[]>;
  allowPrivateAddresses: boolean;
};

/** Past this close to expiry, a call triggers a background re-read. */
const REFRESH_AHEAD_MS = 1_000;

type CachedConfig = { config: WorkspaceLlmConfig; expiresAt: number; refreshing?: boolean };
const cache = new Map<string, CachedConfig>();

export async function readLlmConfig(workspaceId: string): Promise<WorkspaceLlmConfig> {
  return withWorkspace(workspaceId, async (tx) => {
    const providers = await tx.llmProvider.findMany({
      where: { workspaceId, enabled: true },
      orderBy: [{ priority: 'asc' }, { name: 'asc' }],
    });
    const secretIds = providers.map((p) => p.apiKeySecretId).filter((id): id is string => id !== null);
    const secrets = secretIds.length
      ? await tx.secret.findMany({ where: { workspaceId, id: { in: secretIds } }, select: { id: true, name: true } })
      : [];
    const routes = await tx.llmRoute.findMany({ where: { workspaceId }, orderBy: [{ taskType: 'asc' }, { position: 'asc' }] });
    const grant = await tx.workspaceEgressGrant.findFirst({ where: { workspaceId }, select: { allowPrivateAddresses: true } });
    const byTask = Object.fromEntries(TASK_TYPES.map((t) => [t, [] as RouteEntry[]])) as Record<TaskType, RouteEntry[]>;
    for (const route of routes) byTask[route.taskType as TaskType]?.push({ providerId: route.providerId, model: route.model });
    return {
      providers: providers.map((p) => ({
        id: p.id,
        name: p.name,
        kind: p.kind,
        baseUrl: p.baseUrl,
        models: p.models,
        timeoutMs: p.timeoutMs,
        apiKeySecretName: secrets.find((s) => s.id === p.apiKeySecretId)?.name ?? null,
        version: p.updatedAt.getTime(),
      })),
      routes: byTask,
      allowPrivateAddresses: grant?.allowPrivateAddresses ?? false,
    };
  });
}

export async function llmConfigOf(workspaceId: string, now: number): Promise<WorkspaceLlmConfig> {
  const cached = cache.get(workspaceId);
  if (cached && cached.expiresAt > now) {
    if (cached.expiresAt - now < REFRESH_AHEAD_MS && !cached.refreshing) refreshAhead(workspaceId, cached, now);
    return cached.config;
  }
  const config = await readLlmConfig(workspaceId);
  cache.set(workspaceId, { config, expiresAt: now + CONFIG_TTL_MS });
  return config;
}

/**
 * Re-reads an entry in its last second, off the call path, so steady traffic
 * never waits for a configuration read; the entry still never outlives its TTL.
 * A change forgotten meanwhile (the entry replaced or dropped) wins over the result.
 */
function refreshAhead(workspaceId: string, entry: CachedConfig, now: number): void {
  entry.refreshing = true;
  readLlmConfig(workspaceId).then(
    (config) => {
      if (cache.get(workspaceId) === entry) cache.set(workspaceId, { config, expiresAt: now + CONFIG_TTL_MS });
    },
    () => {
      entry.refreshing = false;
    },
  );
}

/** Called after every change to a workspace's providers, routes or grant. */
export function forgetLlmConfig(workspaceId: string): void {
  cache.delete(workspaceId);
}
