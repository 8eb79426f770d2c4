// One openai SDK client per provider configuration, cached in memory. Tenant
// providers get a fetch bound to the egress guard with the workspace's policy
// (their own host; private addresses only with the operator's grant); the
// built-in local model is the operator's own service and is dialled directly.
// No client holds an API key: the key is decrypted for each call and sent as
// that request's header.
import OpenAI from 'openai';
import { withWorkspace } from '../db/with-workspace';
import { decryptSecret } from '../vault/decrypt-secret';
import type { EgressAdapters } from '../net/egress-guard';
import { createGuardedFetch } from '../net/guarded-fetch';
import type { ProviderConfig } from './llm-config';

const MAX_CACHED_CLIENTS = 500;
/** Model answers can be large (embeddings of many texts); past this the guard stops reading. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export type LocalProviderEndpoint = { baseUrl: string; apiKey?: string; timeoutMs: number };

export class ProviderClients {
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly adapters: EgressAdapters) {}

  /** The built-in local model: no tenant guard (the operator runs it). */
  local(endpoint: LocalProviderEndpoint): OpenAI {
    return this.cached(`local|${endpoint.baseUrl}`, () =>
      new OpenAI({ baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey ?? 'none', maxRetries: 0, timeout: endpoint.timeoutMs }),
    );
  }

  tenant(workspaceId: string, provider: ProviderConfig, allowPrivateAddresses: boolean): OpenAI {
    const key = `${workspaceId}|${provider.id}|${provider.version}|${allowPrivateAddresses}`;
    return this.cached(key, () => {
      const host = new URL(provider.baseUrl).hostname.replace(/^\[|\]$/g, '');
      const fetch = createGuardedFetch({
        policy: { allowedHosts: [host], allowPrivateAddresses },
        adapters: this.adapters,
        limits: { timeoutMs: provider.timeoutMs, maxResponseBytes: MAX_RESPONSE_BYTES, maxRedirects: 0 },
      });
      return new OpenAI({ baseURL: provider.baseUrl, apiKey: 'none', maxRetries: 0, timeout: provider.timeoutMs, fetch });
    });
  }

  private cached(key: string, create: () => OpenAI): OpenAI {
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CACHED_CLIENTS) this.clients.clear();
      client = create();
      this.clients.set(key, client);
    }
    return client;
  }
}

/**
 * The provider's API key for this one call, from the vault (audited), in a
 * transaction that commits before the call is made. Null when it has none.
 */
export async function providerApiKey(workspaceId: string, provider: ProviderConfig, runId: string | null | undefined): Promise<string | null> {
  if (!provider.apiKeySecretName) return null;
  const name = provider.apiKeySecretName;
  return withWorkspace(workspaceId, (tx) => decryptSecret(tx, { workspaceId, name, purpose: `llm provider ${provider.name}`, runId: runId ?? null }));
}
