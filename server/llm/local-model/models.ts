// The models the local model server answers for, and the test-hook models that
// fail like a real provider does (see failure-hooks.ts) or answer like
// enclave-local-chat at a human-visible pace. Unknown ids get a 404.
import { LocalModelError } from './api-errors';
import type { Latency } from './latency';

export type ModelKind = 'chat' | 'embedding';

export type LocalModel = {
  id: string;
  kind: ModelKind;
  /** How many context lines a plain answer quotes (the utility model is terser). */
  quotedLines: number;
  /** How an embedding model embeds: hashed features (fast, any dimension) or the semantic sentence encoder (512). */
  embedder?: 'hashed' | 'semantic';
  /** A failure this model always produces, for gateway fallback and timeout tests. */
  failure?: 'rate-limit' | 'server-error' | 'hang';
  /** Latency this model always has, over the server's (a request's latency header still wins). */
  latency?: Partial<Latency>;
};

/** Listed by GET /v1/models. */
export const SERVED_MODELS: readonly LocalModel[] = [
  { id: 'enclave-local-chat', kind: 'chat', quotedLines: 3 },
  { id: 'enclave-local-utility', kind: 'chat', quotedLines: 1 },
  { id: 'enclave-local-embed', kind: 'embedding', quotedLines: 0, embedder: 'hashed' },
  { id: 'enclave-local-semantic', kind: 'embedding', quotedLines: 0, embedder: 'semantic' },
];

/** A chat model slow enough to watch its answer stream in (an agent can pick it; the server's latency is left alone). */
export const SLOW_CHAT_MODEL = 'enclave-local-chat-slow';

/** Not listed, but accepted by both endpoints: they fail on every request, or answer slowly. */
const HOOK_MODELS: readonly Omit<LocalModel, 'kind'>[] = [
  { id: SLOW_CHAT_MODEL, quotedLines: 3, latency: { ttftMs: 300, tokensPerSecond: 12 } },
  { id: 'enclave-local-fail-429', quotedLines: 0, failure: 'rate-limit' },
  { id: 'enclave-local-fail-500', quotedLines: 0, failure: 'server-error' },
  { id: 'enclave-local-hang', quotedLines: 0, failure: 'hang' },
];

/** The model `id` names, usable for `kind`; 404 or 400 like OpenAI otherwise. */
export function modelFor(id: string, kind: ModelKind): LocalModel {
  const hook = HOOK_MODELS.find((m) => m.id === id);
  if (hook) return { ...hook, kind };
  const model = SERVED_MODELS.find((m) => m.id === id);
  if (!model) {
    throw new LocalModelError(404, `The model \`${id}\` does not exist or you do not have access to it.`, {
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
  }
  if (model.kind !== kind) {
    const endpoint = kind === 'chat' ? 'chat completions' : 'embeddings';
    throw new LocalModelError(400, `The model \`${id}\` does not support ${endpoint}.`, {
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_supported',
    });
  }
  return model;
}

/** The OpenAI model object. `created` is fixed so listings are stable. */
export function modelObject(model: LocalModel) {
  return { id: model.id, object: 'model' as const, created: 1_767_225_600, owned_by: 'enclave' };
}
