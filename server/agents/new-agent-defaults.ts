// What a new agent starts from in the editor, and the model names offered there.
// The built-in local model serves these until a workspace configures providers.
export const SUGGESTED_MODELS = ['enclave-local-chat', 'enclave-local-utility'] as const;

export const NEW_AGENT_DEFAULTS = {
  name: '',
  description: '',
  systemPrompt: 'You are a helpful assistant for {{company}}.\nAnswer briefly and say when you do not know.',
  variables: [{ name: 'company', default: 'our company', description: '' }],
  model: SUGGESTED_MODELS[0],
  temperature: 0.7,
  maxSteps: 8,
  maxRunSeconds: 120,
  tools: [] as string[],
  memoryEnabled: false,
  knowledgeBaseIds: [] as string[],
  knowledgeMode: 'tool' as const,
  outputSchema: null,
  cacheEnabled: false,
  cacheTtlSeconds: 3600,
  cacheSimilarityThreshold: null,
};
