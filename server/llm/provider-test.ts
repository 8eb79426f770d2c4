// "Test connection" and the Providers page's try-it box: one short chat call to
// one provider (no fallback), metered like any other call, so a working setup
// shows up on the usage page at once.
import type { Actor } from '../tenancy/members';
import type { Gateway } from './gateway';

export type ProviderTestResult = {
  provider: string;
  model: string;
  reply: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
};

const DEFAULT_PROMPT = 'Reply with a short greeting: this is a connection test.';

export async function testProvider(
  gateway: Gateway,
  actor: Actor,
  request: { providerId: string; model?: string; prompt?: string },
): Promise<ProviderTestResult> {
  const result = await gateway.chatCompletion({
    workspaceId: actor.workspaceId,
    override: { providerId: request.providerId, model: request.model || undefined },
    fallback: false,
    timeoutMs: 30_000,
    maxTokens: 256,
    messages: [
      { role: 'system', content: 'You are a connection test of the Enclave gateway.' },
      { role: 'user', content: request.prompt?.trim() || DEFAULT_PROMPT },
    ],
  });
  return {
    provider: result.provider,
    model: result.model,
    reply: result.message.content ?? result.toolCalls.map((t) => `${t.name}(${t.arguments})`).join('\n'),
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    costUsd: result.costUsd,
    latencyMs: result.latencyMs,
  };
}
