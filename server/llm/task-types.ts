// The kinds of model work a workspace routes separately, and what the built-in
// local model (the operator's own provider) serves for each.

export const TASK_TYPES = ['chat', 'embedding', 'utility'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** The provider name the built-in local model carries in routes, results and the ledger. */
export const LOCAL_PROVIDER = 'local';

export const LOCAL_MODEL_FOR: Readonly<Record<TaskType, string>> = {
  chat: 'enclave-local-chat',
  utility: 'enclave-local-utility',
  embedding: 'enclave-local-embed',
};

/** The local semantic sentence encoder (512-d): the default for new knowledge bases. */
export const LOCAL_SEMANTIC_EMBEDDING_MODEL = 'enclave-local-semantic';

/** What the built-in model serves: the models above, the semantic encoder, and enclave-local-chat at a watchable pace (~12 tokens/s). */
export const LOCAL_MODELS: readonly string[] = [...Object.values(LOCAL_MODEL_FOR), LOCAL_SEMANTIC_EMBEDDING_MODEL, 'enclave-local-chat-slow'];
