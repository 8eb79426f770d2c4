// POST /v1/chat/completions: the deterministic reply (chat-reply.ts) cut at
// `stop` and at max_(completion_)tokens (finish_reason "length"), delivered as
// one JSON body or as OpenAI's SSE chunks, token by token at the simulated pace.
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { replyTo } from './chat-reply';
import type { Latency } from './latency';
import { replyDurationMs, tokenDueMs, wait } from './latency';
import type { LocalModel } from './models';
import type { ChatCompletionRequest } from './request-schemas';
import { decodeTokens, promptTokens, textTokens, tokenPieces, toolCallTokens } from './token-count';

export const SYSTEM_FINGERPRINT = 'fp_enclave_local_1';

type FinishReason = 'stop' | 'length' | 'tool_calls';
type ToolCallOut = { id: string; name: string; arguments: string; pieces: string[] };

type Completion = {
  id: string;
  created: number;
  model: string;
  content: string | null;
  pieces: string[];
  toolCalls: ToolCallOut[];
  finishReason: FinishReason;
  usage: ReturnType<typeof usageOf>;
};

export function completeChat(request: ChatCompletionRequest, model: LocalModel): Completion {
  const reply = replyTo(request, model);
  const limit = request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY;
  const base = { id: `chatcmpl-${randomUUID().replaceAll('-', '')}`, created: Math.floor(Date.now() / 1000), model: model.id };
  const prompt = promptTokens(request);

  if (reply.type === 'tool_calls') {
    let budget = limit;
    let finishReason: FinishReason = 'tool_calls';
    const toolCalls: ToolCallOut[] = [];
    for (const [index, call] of reply.calls.entries()) {
      if (budget <= 0) break;
      let args = textTokens(call.arguments);
      if (toolCallTokens(call) > budget) {
        args = args.slice(0, Math.max(budget - textTokens(call.name).length, 0));
        finishReason = 'length';
      }
      budget -= toolCallTokens(call);
      toolCalls.push({ id: toolCallId(request, index), name: call.name, arguments: decodeTokens(args), pieces: tokenPieces(args) });
    }
    const completionTokens = toolCalls.reduce((sum, c) => sum + toolCallTokens(c), 0);
    return { ...base, content: null, pieces: [], toolCalls, finishReason, usage: usageOf(prompt, completionTokens) };
  }

  let text = reply.text;
  const stopAt = stopIndex(text, request.stop);
  if (stopAt >= 0) text = text.slice(0, stopAt);
  let tokens = textTokens(text);
  let finishReason: FinishReason = 'stop';
  if (tokens.length > limit) {
    tokens = tokens.slice(0, limit);
    text = decodeTokens(tokens);
    finishReason = 'length';
  }
  return { ...base, content: text, pieces: tokenPieces(tokens), toolCalls: [], finishReason, usage: usageOf(prompt, tokens.length) };
}

/** Same conversation, same call ids: a replayed step refers to the same calls. */
function toolCallId(request: ChatCompletionRequest, index: number): string {
  const digest = createHash('sha256').update(JSON.stringify(request.messages)).update(`#${index}`).digest('hex');
  return `call_${digest.slice(0, 24)}`;
}

function stopIndex(text: string, stop: ChatCompletionRequest['stop']): number {
  const sequences = (typeof stop === 'string' ? [stop] : (stop ?? [])).filter(Boolean);
  const hits = sequences.map((s) => text.indexOf(s)).filter((i) => i >= 0);
  return hits.length ? Math.min(...hits) : -1;
}

function usageOf(prompt: number, completion: number) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

/** The whole completion as one JSON body, after the time the reply would take to generate. */
export async function sendCompletion(res: ServerResponse, completion: Completion, latency: Latency, signal: AbortSignal) {
  if (!(await wait(replyDurationMs(latency, completion.usage.completion_tokens), signal))) return;
  const message = {
    role: 'assistant' as const,
    content: completion.content,
    refusal: null,
    ...(completion.toolCalls.length
      ? { tool_calls: completion.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
      : {}),
  };
  const body = {
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: completion.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, message, logprobs: null, finish_reason: completion.finishReason }],
    usage: completion.usage,
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * OpenAI's stream: a first chunk with the role (and each tool call's id and
 * name), one chunk per token of text or arguments, a chunk with the finish
 * reason, the usage chunk when stream_options.include_usage, then [DONE].
 */
export async function streamCompletion(
  res: ServerResponse,
  completion: Completion,
  includeUsage: boolean,
  latency: Latency,
  signal: AbortSignal,
) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const chunk = (delta: object, finishReason: FinishReason | null = null) => ({
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const send = (data: object | string) => {
    if (!res.destroyed) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };

  if (!(await wait(latency.ttftMs, signal))) return;
  const deltas: object[] = [];
  if (completion.toolCalls.length) {
    completion.toolCalls.forEach((call, index) => {
      deltas.push({
        ...(index === 0 ? { role: 'assistant', content: null } : {}),
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      });
      for (const piece of call.pieces) deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    });
  } else {
    deltas.push({ role: 'assistant', content: '', refusal: null });
    for (const piece of completion.pieces) deltas.push({ content: piece });
  }

  const started = performance.now();
  for (const [index, delta] of deltas.entries()) {
    // The first delta (role, call header) rides with the first token.
    const due = tokenDueMs(latency, Math.max(index - 1, 0));
    const early = due - (performance.now() - started);
    if (early > 1 && !(await wait(early, signal))) return;
    if (signal.aborted || res.destroyed) return;
    send(chunk(delta));
  }
  send(chunk({}, completion.finishReason));
  if (includeUsage) send({ ...chunk({}), choices: [], usage: completion.usage });
  send('[DONE]');
  res.end();
}
