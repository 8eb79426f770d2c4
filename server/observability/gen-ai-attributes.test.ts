// The attribute keys are the OpenTelemetry GenAI convention's, as published in
// @opentelemetry/semantic-conventions; the derived ids have the OpenTelemetry
// shapes and are the same for the same run in every process.
import * as semconv from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import { GEN_AI, GEN_AI_OPERATIONS, agentRunSpan, modelCallSpan, toolCallSpan } from './gen-ai-attributes';
import { runSpanIdOf, stepSpanIdOf, traceIdOfRun } from './trace-ids';

const RUN = '0b3a4c1e-9f5d-4c2b-8a71-2d6e5f4a3b21';

describe('GenAI attributes', () => {
  it('uses the convention’s keys and operation names', () => {
    expect(GEN_AI).toEqual({
      operationName: semconv.ATTR_GEN_AI_OPERATION_NAME,
      providerName: semconv.ATTR_GEN_AI_PROVIDER_NAME,
      requestModel: semconv.ATTR_GEN_AI_REQUEST_MODEL,
      requestTemperature: semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE,
      responseModel: semconv.ATTR_GEN_AI_RESPONSE_MODEL,
      responseFinishReasons: semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
      usageInputTokens: semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
      usageOutputTokens: semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
      toolName: semconv.ATTR_GEN_AI_TOOL_NAME,
      toolCallId: semconv.ATTR_GEN_AI_TOOL_CALL_ID,
      toolType: semconv.ATTR_GEN_AI_TOOL_TYPE,
      agentId: semconv.ATTR_GEN_AI_AGENT_ID,
      agentName: semconv.ATTR_GEN_AI_AGENT_NAME,
      agentVersion: semconv.ATTR_GEN_AI_AGENT_VERSION,
    });
    expect(GEN_AI_OPERATIONS).toEqual({
      chat: semconv.GEN_AI_OPERATION_NAME_VALUE_CHAT,
      executeTool: semconv.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
      invokeAgent: semconv.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
    });
  });

  it('names spans "{operation} {model|tool|agent}" and leaves absent values out', () => {
    const scope = { workspaceId: 'w', runId: RUN, stepIndex: 0 };
    const chat = modelCallSpan({ ...scope, provider: null, requestModel: 'm', responseModel: 'm2', temperature: null, inputTokens: 3, outputTokens: 4, finishReason: null, costUsd: 0.5, latencyMs: 9 });
    expect(chat.name).toBe('chat m');
    expect(chat.attributes).not.toHaveProperty('gen_ai.provider.name');
    expect(chat.attributes).not.toHaveProperty('gen_ai.request.temperature');
    expect(chat.attributes).not.toHaveProperty('gen_ai.response.finish_reasons');
    expect(chat.attributes['enclave.cost_usd']).toBe(0.5);
    expect(toolCallSpan({ ...scope, toolName: 'lookup', toolCallId: null, latencyMs: 1 }).name).toBe('execute_tool lookup');
    const run = agentRunSpan({ workspaceId: 'w', runId: RUN, agentId: 'a', agentName: 'Helper', agentVersion: 3, requestModel: 'm', status: 'failed', inputTokens: 1, outputTokens: 2, costUsd: 0 });
    expect(run.name).toBe('invoke_agent Helper');
    expect(run.attributes['gen_ai.agent.version']).toBe('3');
  });
});

describe('trace ids', () => {
  it('are hex of the OpenTelemetry lengths, stable for a run, distinct per step and per run', () => {
    expect(traceIdOfRun(RUN)).toMatch(/^[0-9a-f]{32}$/);
    expect(runSpanIdOf(RUN)).toMatch(/^[0-9a-f]{16}$/);
    expect(stepSpanIdOf(RUN, 0)).toMatch(/^[0-9a-f]{16}$/);
    expect(traceIdOfRun(RUN.toUpperCase())).toBe(traceIdOfRun(RUN));
    const ids = new Set([runSpanIdOf(RUN), ...Array.from({ length: 50 }, (_, i) => stepSpanIdOf(RUN, i))]);
    expect(ids.size).toBe(51);
    const other = '5d1c2b3a-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
    expect(traceIdOfRun(other)).not.toBe(traceIdOfRun(RUN));
    expect(stepSpanIdOf(other, 0)).not.toBe(stepSpanIdOf(RUN, 0));
  });
});
