// A workspace's model providers: OpenAI-compatible endpoints with an API key
// held in the vault (by reference, never by value) and a model list. A base URL
// is tenant-typed egress, so it is checked against the egress rules before it is
// saved (and again on every call, by the guarded fetch). The checks that resolve
// DNS run outside any transaction.
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { withWorkspace, type Tx } from '../db/with-workspace';
import { isUniqueViolation } from '../db/prisma-errors';
import { checkEgressTarget, type EgressAdapters } from '../net/egress-guard';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { privateEgressAllowed } from './egress-grants';
import { forgetLlmConfig } from './llm-config';
import { LOCAL_PROVIDER } from './task-types';

export const PROVIDER_KINDS = ['openai-compatible', 'openai', 'azure', 'ollama', 'vllm', 'litellm'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export type ProviderInput = {
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKeySecretId: string | null;
  models: string[];
  enabled: boolean;
  priority: number;
  timeoutMs: number;
};

export type ProviderSummary = ProviderInput & {
  id: string;
  apiKeySecretName: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const columns = {
  id: true,
  name: true,
  kind: true,
  baseUrl: true,
  apiKeySecretId: true,
  models: true,
  enabled: true,
  priority: true,
  timeoutMs: true,
  createdAt: true,
  updatedAt: true,
} as const;

type ProviderRow = Omit<ProviderSummary, 'apiKeySecretName' | 'kind'> & { kind: string };

async function withSecretNames(tx: Tx, workspaceId: string, rows: ProviderRow[]): Promise<ProviderSummary[]> {
  const ids = rows.map((r) => r.apiKeySecretId).filter((id): id is string => id !== null);
  const secrets = ids.length ? await tx.secret.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, name: true } }) : [];
  return rows.map((r) => ({
    ...r,
    kind: r.kind as ProviderKind,
    apiKeySecretName: secrets.find((s) => s.id === r.apiKeySecretId)?.name ?? null,
  }));
}

export async function providersOfWorkspace(tx: Tx, workspaceId: string): Promise<ProviderSummary[]> {
  const rows = await tx.llmProvider.findMany({ where: { workspaceId }, orderBy: [{ priority: 'asc' }, { name: 'asc' }], select: columns });
  return withSecretNames(tx, workspaceId, rows);
}

export async function providerById(tx: Tx, workspaceId: string, providerId: string): Promise<ProviderSummary> {
  const row = await tx.llmProvider.findFirst({ where: { workspaceId, id: providerId }, select: columns });
  if (!row) throw new NotFound('Provider not found');
  const [summary] = await withSecretNames(tx, workspaceId, [row]);
  return summary!;
}

/** The base URL as stored: http(s), no credentials, query or fragment, no trailing slash. */
export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidInput('Enter the base URL as an absolute http(s) URL, e.g. https://api.openai.com/v1', 'baseUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInput('The base URL must start with http:// or https://', 'baseUrl');
  if (url.username || url.password) throw new InvalidInput('Put the API key in a vault secret, not in the URL', 'baseUrl');
  if (url.search || url.hash) throw new InvalidInput('The base URL cannot have a query or fragment', 'baseUrl');
  return url.toString().replace(/\/+$/, '');
}

function normaliseInput(input: ProviderInput): ProviderInput {
  const name = input.name.trim();
  if (!name || name.length > 64) throw new InvalidInput('Name the provider (1–64 characters)', 'name');
  if (name.toLowerCase() === LOCAL_PROVIDER) throw new InvalidInput(`"${LOCAL_PROVIDER}" is the built-in model's name; choose another`, 'name');
  const models = [...new Set(input.models.map((m) => m.trim()).filter(Boolean))];
  if (models.some((m) => m.length > 200)) throw new InvalidInput('Model names are at most 200 characters', 'models');
  if (models.length > 50) throw new InvalidInput('List at most 50 models', 'models');
  return { ...input, name, models, baseUrl: normaliseBaseUrl(input.baseUrl) };
}

async function assertSecretOfWorkspace(tx: Tx, workspaceId: string, secretId: string | null): Promise<void> {
  if (!secretId) return;
  const secret = await tx.secret.findFirst({ where: { workspaceId, id: secretId }, select: { id: true } });
  if (!secret) throw new NotFound('Secret not found');
}

/** The egress rules for a provider base URL: its own host, private addresses only with the operator's grant. */
export async function checkProviderBaseUrl(baseUrl: string, allowPrivateAddresses: boolean, adapters: EgressAdapters): Promise<void> {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  await checkEgressTarget(baseUrl, { policy: { allowedHosts: [host], allowPrivateAddresses }, adapters });
}

/** Checks what needs no network (secret reference, fields) in a short transaction, then the URL outside it. */
async function vetProvider(actor: Actor, input: ProviderInput, adapters: EgressAdapters): Promise<ProviderInput> {
  const grant = await withWorkspace(actor.workspaceId, async (tx) => {
    await assertSecretOfWorkspace(tx, actor.workspaceId, input.apiKeySecretId);
    return privateEgressAllowed(tx, actor.workspaceId);
  });
  const normalised = normaliseInput(input);
  await checkProviderBaseUrl(normalised.baseUrl, grant, adapters);
  return normalised;
}

function conflictOnName<T>(name: string, write: () => Promise<T>): Promise<T> {
  return write().catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new Conflict(`A provider named ${name} already exists`);
    throw error;
  });
}

export async function addProvider(actor: Actor, input: ProviderInput, adapters: EgressAdapters): Promise<ProviderSummary> {
  const provider = await vetProvider(actor, input, adapters);
  const created = await withWorkspace(actor.workspaceId, (tx) =>
    conflictOnName(provider.name, async () => {
      const row = await tx.llmProvider.create({ data: { workspaceId: actor.workspaceId, ...provider }, select: columns });
      await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'provider.created', target: row.name });
      return providerById(tx, actor.workspaceId, row.id);
    }),
  );
  forgetLlmConfig(actor.workspaceId);
  return created;
}

export async function changeProvider(actor: Actor, providerId: string, input: ProviderInput, adapters: EgressAdapters): Promise<ProviderSummary> {
  await withWorkspace(actor.workspaceId, (tx) => providerById(tx, actor.workspaceId, providerId));
  const provider = await vetProvider(actor, input, adapters);
  const updated = await withWorkspace(actor.workspaceId, (tx) =>
    conflictOnName(provider.name, async () => {
      const { count } = await tx.llmProvider.updateMany({
        where: { workspaceId: actor.workspaceId, id: providerId },
        data: { ...provider, updatedAt: new Date() },
      });
      if (!count) throw new NotFound('Provider not found');
      await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'provider.updated', target: provider.name });
      return providerById(tx, actor.workspaceId, providerId);
    }),
  );
  forgetLlmConfig(actor.workspaceId);
  return updated;
}

export async function deleteProvider(tx: Tx, actor: Actor, providerId: string): Promise<void> {
  const provider = await providerById(tx, actor.workspaceId, providerId);
  await tx.llmProvider.deleteMany({ where: { workspaceId: actor.workspaceId, id: providerId } });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'provider.deleted', target: provider.name });
  forgetLlmConfig(actor.workspaceId);
}
