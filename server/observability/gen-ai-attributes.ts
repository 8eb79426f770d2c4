// Span names and attributes after the OpenTelemetry GenAI semantic conventions
// (gen_ai.*), plus Enclave's own enclave.* keys. Only metadata goes in: ids,
// names, models, token counts, cost — never prompt or answer text, tool
// arguments or results, or a secret (the content stays in run_steps).

/** Convention keys, as named by @opentelemetry/semantic-conventions (incubating); kept here so a rename there is a deliberate change here. */
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  agentId: 'gen_ai.agent.id',
  agentName: 'gen_ai.agent.name',
  agentVersion: 'gen_ai.agent.version',
} as const;

export const GEN_AI_OPERATIONS = { chat: 'chat', executeTool: 'execute_tool', invokeAgent: 'invoke_agent' } as const;

export const ENCLAVE = {
  workspaceId: 'enclave.workspace.id',
  runId: 'enclave.run.id',
  runStatus: 'enclave.run.status',
  stepIndex: 'enclave.step.index',
  costUsd: 'enclave.cost_usd',
  latencyMs: 'enclave.latency_ms',
  /** true on a model step answered from the response cache (no model call); its match is exact or semantic. */
  cacheHit: 'enclave.cache.hit',
  cacheMatch: 'enclave.cache.match',
  /** On an approval span: what was asked (tool or model), the decision, and a model call's worst-case estimate. */
  approvalKind: 'enclave.approval.kind',
  approvalDecision: 'enclave.approval.decision',
  approvalEstimatedCostUsd: 'enclave.approval.estimated_cost_usd',
} as const;

export type SpanAttributeValue = string | number | boolean | string[];
export type SpanAttributes = Record<string, SpanAttributeValue>;

/** Drops absent values: OpenTelemetry attributes have no null. */
function compact(attributes: Record<string, SpanAttributeValue | null | undefined>): SpanAttributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null && v !== undefined)) as SpanAttributes;
}

type Scope = { workspaceId: string; runId: string };

export type ModelCallFacts = Scope & {
  stepIndex: number;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  temperature: number | null;
  inputTokens: number;
  outputTokens: number;
  finishReason: string | null;
  costUsd: number;
  latencyMs: number;
  /** Set when the response cache answered instead of the model. */
  cacheMatch?: 'exact' | 'semantic' | null;
};

export function modelCallSpan(facts: ModelCallFacts): { name: string; attributes: SpanAttributes } {
  const model = facts.requestModel ?? facts.responseModel;
  return {
    name: model ? `${GEN_AI_OPERATIONS.chat} ${model}` : GEN_AI_OPERATIONS.chat,
    attributes: compact({
      [GEN_AI.operationName]: GEN_AI_OPERATIONS.chat,
      [GEN_AI.providerName]: facts.provider,
      [GEN_AI.requestModel]: facts.requestModel,
      [GEN_AI.requestTemperature]: facts.temperature,
      [GEN_AI.responseModel]: facts.responseModel,
      [GEN_AI.responseFinishReasons]: facts.finishReason ? [facts.finishReason] : null,
      [GEN_AI.usageInputTokens]: facts.inputTokens,
      [GEN_AI.usageOutputTokens]: facts.outputTokens,
      [ENCLAVE.workspaceId]: facts.workspaceId,
      [ENCLAVE.runId]: facts.runId,
      [ENCLAVE.stepIndex]: facts.stepIndex,
      [ENCLAVE.costUsd]: facts.costUsd,
      [ENCLAVE.latencyMs]: facts.latencyMs,
      [ENCLAVE.cacheHit]: facts.cacheMatch ? true : null,
      [ENCLAVE.cacheMatch]: facts.cacheMatch ?? null,
    }),
  };
}

export type ToolCallFacts = Scope & { stepIndex: number; toolName: string; toolCallId: string | null; latencyMs: number };

export function toolCallSpan(facts: ToolCallFacts): { name: string; attributes: SpanAttributes } {
  return {
    name: `${GEN_AI_OPERATIONS.executeTool} ${facts.toolName}`,
    attributes: compact({
      [GEN_AI.operationName]: GEN_AI_OPERATIONS.executeTool,
      [GEN_AI.toolName]: facts.toolName,
      [GEN_AI.toolCallId]: facts.toolCallId,
      [GEN_AI.toolType]: 'function',
      [ENCLAVE.workspaceId]: facts.workspaceId,
      [ENCLAVE.runId]: facts.runId,
      [ENCLAVE.stepIndex]: facts.stepIndex,
      [ENCLAVE.costUsd]: 0,
      [ENCLAVE.latencyMs]: facts.latencyMs,
    }),
  };
}

export type AgentRunFacts = Scope & {
  agentId: string;
  agentName: string;
  agentVersion: number;
  requestModel: string | null;
  status: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
};

export function agentRunSpan(facts: AgentRunFacts): { name: string; attributes: SpanAttributes } {
  return {
    name: `${GEN_AI_OPERATIONS.invokeAgent} ${facts.agentName}`.slice(0, 200),
    attributes: compact({
      [GEN_AI.operationName]: GEN_AI_OPERATIONS.invokeAgent,
      [GEN_AI.agentId]: facts.agentId,
      [GEN_AI.agentName]: facts.agentName,
      [GEN_AI.agentVersion]: String(facts.agentVersion),
      [GEN_AI.requestModel]: facts.requestModel,
      [GEN_AI.usageInputTokens]: facts.inputTokens,
      [GEN_AI.usageOutputTokens]: facts.outputTokens,
      [ENCLAVE.workspaceId]: facts.workspaceId,
      [ENCLAVE.runId]: facts.runId,
      [ENCLAVE.runStatus]: facts.status,
      [ENCLAVE.costUsd]: facts.costUsd,
    }),
  };
}
