// The LLM gateway: every model call of the platform. It picks the provider and
// model for the task type (workspace routing, or the caller's override), falls
// back to the next candidate on timeout, 5xx or 429 (honouring Retry-After within
// the call's deadline, never on other 4xx), streams deltas, and appends exactly
// one usage row per call. No database transaction is open during a model call.
// Before it, the call's worst-case cost is reserved on the workspace's and the
// agent's budgets (a hard budget without room refuses it); metering settles it.
// Every chat call carries an output cap, so the worst case is a true bound. And
// each call first fits in the workspace's model tokens per minute (rate-limits.ts).
// The workspace policy applies to every call: providers and models off its
// allow-lists are refused before any request, chat messages are screened (PII
// redacted or refused, content rules) on the way in and the answer on the way out.
import { countTokens } from 'gpt-tokenizer';
import type OpenAI from 'openai';
import { LimitExceeded, PolicyViolation } from '../domain-errors';
import { reserveCallBudget } from '../governance/budget-reservation';
import { policyInForce } from '../governance/policy-cache';
import { guardOf, type PolicyGuard } from '../governance/policy-guard';
import { checkAndTakeTokens, settleTokens, type RateLimitTake } from '../governance/rate-limits';
import { screenedStream } from '../governance/screened-stream';
import { logger } from '../observability/logger';
import type { EgressAdapters } from '../net/egress-guard';
import { estimateCallCost } from './call-cost-estimate';
import { classifyFailure, finalError, type AttemptFailure } from './call-failure';
import { llmConfigOf, type WorkspaceLlmConfig } from './llm-config';
import { costOf } from './pricing';
import { providerApiKey, ProviderClients, type LocalProviderEndpoint } from './provider-clients';
import { candidatesFor, type CallOverride, type Candidate } from './routing';
import { LOCAL_PROVIDER, type TaskType } from './task-types';
import { recordUsage, type UsageStatus } from './usage-ledger';

/** Time as the gateway sees it: wall-clock milliseconds (fractional) and a cancellable sleep. */
export type Clock = { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export type GatewayDeps = {
  clock: Clock;
  /** Egress for tenant providers (tests pass recording adapters). */
  egressAdapters: EgressAdapters;
  /** Where the built-in local model listens (read per call: the port is known only after start). */
  localModel: () => LocalProviderEndpoint;
  /** The output cap of a chat call that sets none (default 4096): what its budget reservation counts on. */
  maxOutputTokens?: number;
};

/** Who the call is for and where it belongs in a run (all optional outside runs). */
export type CallScope = {
  workspaceId: string;
  runId?: string | null;
  stepIndex?: number | null;
  /** The run step's attempt number: with run and step, the ledger's idempotency key. */
  attempt?: number | null;
  agentId?: string | null;
  override?: CallOverride;
  signal?: AbortSignal;
  /** Whole call, fallbacks and Retry-After waits included. Default 120 s. */
  timeoutMs?: number;
  /** false: only the first candidate is tried (a provider's connection test). */
  fallback?: boolean;
  /**
   * How long the call may wait for room in the workspace's model tokens per minute
   * before it is refused (runs and ingestion wait; interactive callers get the refusal
   * at once). Default 0.
   */
  waitForTokensMs?: number;
  /** The run's policy guard (its placeholders are the run's); default: the workspace's policy in force. */
  policy?: PolicyGuard;
};

export type ToolCall = { id: string; name: string; arguments: string };
export type ChatDelta = { content?: string; toolCalls?: { index: number; id?: string; name?: string; arguments?: string }[] };

export type ChatRequest = CallScope & {
  taskType?: Extract<TaskType, 'chat' | 'utility'>;
  messages: OpenAI.Chat.ChatCompletionMessageParam[];
  tools?: OpenAI.Chat.ChatCompletionTool[];
  toolChoice?: OpenAI.Chat.ChatCompletionToolChoiceOption;
  responseFormat?: OpenAI.Chat.ChatCompletionCreateParams['response_format'];
  maxTokens?: number;
  temperature?: number;
  /** Streams the answer: called for each content or tool-call delta as it arrives. */
  onDelta?: (delta: ChatDelta) => void;
};

export type CallOutcome = {
  usage: { inputTokens: number; outputTokens: number };
  provider: string;
  providerId: string | null;
  model: string;
  costUsd: number;
  priceKnown: boolean;
  latencyMs: number;
  status: Exclude<UsageStatus, 'error'>;
  attempts: number;
  /** False when this run step and attempt had already been metered. */
  metered: boolean;
};

export type ChatResult = CallOutcome & {
  message: { role: 'assistant'; content: string | null };
  toolCalls: ToolCall[];
  finishReason: string;
};

export type EmbedRequest = CallScope & { texts: string[]; dimensions?: number };
export type EmbedResult = CallOutcome & { embeddings: number[][] };

const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** A 429's Retry-After is honoured up to this long (and never past the deadline). */
const MAX_RETRY_AFTER_MS = 30_000;
const DEFAULT_RETRY_AFTER_MS = 1_000;
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

type AttemptContext = { client: OpenAI; options: OpenAI.RequestOptions; candidate: Candidate };
type AttemptResult<T> = { value: T; inputTokens: number; outputTokens: number };

export type Gateway = ReturnType<typeof createGateway>;

export function createGateway(deps: GatewayDeps) {
  const clients = new ProviderClients(deps.egressAdapters);
  /** (workspace, provider, model) → until when a 429 asked us to wait. */
  const coolDowns = new Map<string, number>();
  const coolKey = (workspaceId: string, c: Candidate) => `${workspaceId}|${c.provider?.id ?? LOCAL_PROVIDER}|${c.model}`;

  async function attemptOn<T>(
    scope: CallScope,
    config: WorkspaceLlmConfig,
    candidate: Candidate,
    remainingMs: number,
    secrets: string[],
    run: (ctx: AttemptContext) => Promise<AttemptResult<T>>,
  ): Promise<AttemptResult<T>> {
    const local = deps.localModel();
    if (!candidate.provider) {
      const client = clients.local(local);
      return run({ client, candidate, options: { signal: scope.signal, timeout: Math.max(1, Math.floor(Math.min(local.timeoutMs, remainingMs))) } });
    }
    const provider = candidate.provider;
    const apiKey = await providerApiKey(scope.workspaceId, provider, scope.runId);
    if (apiKey) secrets.push(apiKey);
    const client = clients.tenant(scope.workspaceId, provider, config.allowPrivateAddresses);
    return run({
      client,
      candidate,
      options: {
        signal: scope.signal,
        timeout: Math.max(1, Math.floor(Math.min(provider.timeoutMs, remainingMs))),
        // Azure OpenAI takes its key in api-key; everyone else in a bearer token.
        headers: { Authorization: apiKey ? `Bearer ${apiKey}` : null, ...(apiKey && provider.kind === 'azure' ? { 'api-key': apiKey } : {}) },
      },
    });
  }

  /**
   * One model call within the workspace's model tokens per minute: its planned
   * tokens are taken first (LimitExceeded when they don't fit), then settled to
   * the tokens it actually used (none when it failed).
   */
  async function call<T>(
    scope: CallScope,
    taskType: TaskType,
    /** The call's prompt tokens plus its output cap, for the model tokens per minute. */
    plannedTokens: number,
    /** The most the call can cost on a model (USD), for its budget reservation. */
    worstCaseUsd: (model: string) => number,
    run: (ctx: AttemptContext) => Promise<AttemptResult<T>>,
    canFallBack: () => boolean = () => true,
    beforeFirstAttempt: () => void = () => {},
  ): Promise<T & CallOutcome> {
    const tokens = await tokensFor(scope, plannedTokens);
    let usedTokens = 0;
    try {
      const outcome = await callCandidates(scope, taskType, worstCaseUsd, run, canFallBack, beforeFirstAttempt);
      usedTokens = outcome.usage.inputTokens + outcome.usage.outputTokens;
      return outcome;
    } finally {
      // A failed settlement only leaves the plan counted until the minute ends; the call's outcome stands.
      await settleTokens(tokens, usedTokens).catch((err: unknown) => logger.warn({ workspaceId: scope.workspaceId, err }, 'settling model tokens failed'));
    }
  }

  /** The planned tokens, taken once the window has room for them if the caller may wait that long. */
  async function tokensFor(scope: CallScope, plannedTokens: number): Promise<RateLimitTake> {
    const waitUntil = deps.clock.now() + (scope.waitForTokensMs ?? 0);
    for (;;) {
      try {
        return await checkAndTakeTokens(scope.workspaceId, plannedTokens);
      } catch (error) {
        const retryAt = error instanceof LimitExceeded && error.retryAfterSeconds ? deps.clock.now() + error.retryAfterSeconds * 1000 : Infinity;
        if (retryAt > waitUntil) throw error;
        await deps.clock.sleep(retryAt - deps.clock.now(), scope.signal);
        scope.signal?.throwIfAborted();
      }
    }
  }

  /** Tries candidates in order, waits out Retry-After when it fits, meters exactly once. */
  async function callCandidates<T>(
    scope: CallScope,
    taskType: TaskType,
    worstCaseUsd: (model: string) => number,
    run: (ctx: AttemptContext) => Promise<AttemptResult<T>>,
    canFallBack: () => boolean,
    beforeFirstAttempt: () => void,
  ): Promise<T & CallOutcome> {
    const started = deps.clock.now();
    const deadline = started + (scope.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
    const config = await llmConfigOf(scope.workspaceId, started);
    const guard = scope.policy ?? (await workspaceGuard(scope.workspaceId));
    const routed = candidatesFor(config, taskType, scope.override);
    const candidates = allowedCandidates(scope, guard, taskType, scope.fallback === false ? routed.slice(0, 1) : routed);
    beforeFirstAttempt();
    const queue = [...candidates];
    // Candidates cooling down after a 429 go last; the first one may still be retried after its wait.
    queue.sort((x, y) => Number(coolingUntil(x) > started) - Number(coolingUntil(y) > started));
    // Whichever candidate answers, the reservation covers it.
    const reservationId = await reserveCallBudget(scope, Math.max(0, ...queue.map((c) => worstCaseUsd(c.model))), deadline - started);
    const requeued = new Set<Candidate>();
    const secrets: string[] = [];
    let attempts = 0;
    let last: { candidate: Candidate; failure: AttemptFailure } | undefined;

    function coolingUntil(c: Candidate): number {
      return coolDowns.get(coolKey(scope.workspaceId, c)) ?? 0;
    }

    while (queue.length) {
      const candidate = queue.shift()!;
      const wait = coolingUntil(candidate) - deps.clock.now();
      if (wait > 0) {
        if (wait > MAX_RETRY_AFTER_MS || deps.clock.now() + wait >= deadline) continue;
        await deps.clock.sleep(wait, scope.signal);
      }
      const remaining = deadline - deps.clock.now();
      if (remaining <= 0 || scope.signal?.aborted) break;
      attempts += 1;
      try {
        const result = await attemptOn(scope, config, candidate, remaining, secrets, run);
        coolDowns.delete(coolKey(scope.workspaceId, candidate));
        return await meterSuccess(scope, taskType, candidate, result, started, attempts, reservationId);
      } catch (error) {
        const failure = classifyFailure(error, candidate.provider?.name ?? LOCAL_PROVIDER, deps.clock.now(), scope.signal?.aborted);
        last = { candidate, failure };
        logger.warn({ workspaceId: scope.workspaceId, provider: candidate.provider?.name ?? LOCAL_PROVIDER, model: candidate.model, kind: failure.kind, status: failure.status, reason: failure.cause instanceof Error ? failure.cause.message : undefined }, 'model call attempt failed');
        if (!failure.retryable || !canFallBack()) break;
        if (failure.kind === 'rate_limited') {
          const retryAfter = Math.min(failure.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS);
          coolDowns.set(coolKey(scope.workspaceId, candidate), deps.clock.now() + retryAfter);
          if (!requeued.has(candidate) && scope.fallback !== false) {
            requeued.add(candidate);
            queue.push(candidate);
          }
        }
      }
    }
    const failure: AttemptFailure = last?.failure ?? {
      kind: scope.signal?.aborted ? 'cancelled' : 'timeout',
      retryable: false,
      message: scope.signal?.aborted ? 'The call was cancelled' : 'No provider answered before the deadline',
      cause: undefined,
    };
    const candidate = last?.candidate ?? candidates[0]!;
    await recordUsage({
      ...ledgerScope(scope, taskType, candidate),
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      priceKnown: costOf(candidate.model, 0, 0).priceKnown,
      latencyMs: deps.clock.now() - started,
      status: 'error',
      errorKind: failure.kind,
      reservationId,
    });
    throw finalError(failure, attempts, secrets);
  }

  async function meterSuccess<T>(
    scope: CallScope,
    taskType: TaskType,
    candidate: Candidate,
    result: AttemptResult<T>,
    started: number,
    attempts: number,
    reservationId: string | null,
  ): Promise<T & CallOutcome> {
    const latencyMs = Math.round(deps.clock.now() - started);
    const cost = costOf(candidate.model, result.inputTokens, result.outputTokens);
    const status = attempts > 1 ? 'fallback' : 'ok';
    const metered = await recordUsage({
      ...ledgerScope(scope, taskType, candidate),
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      costUsd: cost.costUsd,
      priceKnown: cost.priceKnown,
      latencyMs,
      status,
      reservationId,
    });
    return {
      ...result.value,
      usage: { inputTokens: result.inputTokens, outputTokens: result.outputTokens },
      provider: candidate.provider?.name ?? LOCAL_PROVIDER,
      providerId: candidate.provider?.id ?? null,
      model: candidate.model,
      costUsd: cost.costUsd,
      priceKnown: cost.priceKnown,
      latencyMs,
      status,
      attempts,
      metered,
    };
  }

  async function chatCompletion(unscreened: ChatRequest): Promise<ChatResult> {
    const taskType = unscreened.taskType ?? 'chat';
    const guard = unscreened.policy ?? (await workspaceGuard(unscreened.workspaceId));
    const request: ChatRequest = { ...unscreened, policy: guard };
    let messages = request.messages;
    const maxTokens = request.maxTokens ?? deps.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    // The prompt is counted once; each candidate model prices it.
    const estimate = estimateCallCost({ model: '', messages: request.messages, tools: request.tools, maxOutputTokens: maxTokens });
    let emitted = false;
    const body = (model: string) => ({
      model,
      messages,
      ...(request.tools?.length ? { tools: request.tools } : {}),
      ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
      ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
      max_tokens: maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    });
    return call(
      request,
      taskType,
      estimate.inputTokens + maxTokens,
      (model) => costOf(model, estimate.inputTokens, maxTokens).costUsd,
      async ({ client, options, candidate }) => {
        if (!request.onDelta) {
          const completion = await client.chat.completions.create({ ...body(candidate.model), stream: false }, options);
          const choice = completion.choices[0];
          return {
            value: {
              message: { role: 'assistant' as const, content: choice?.message.content ?? null },
              toolCalls: (choice?.message.tool_calls ?? []).flatMap((t) => (t.type === 'function' ? [{ id: t.id, name: t.function.name, arguments: t.function.arguments }] : [])),
              finishReason: choice?.finish_reason ?? 'stop',
            },
            inputTokens: completion.usage?.prompt_tokens ?? 0,
            outputTokens: completion.usage?.completion_tokens ?? 0,
          };
        }
        const stream = await client.chat.completions.create(
          { ...body(candidate.model), stream: true, stream_options: { include_usage: true } },
          options,
        );
        const screened = screenedStream(guard, (text) => request.onDelta!({ content: text }));
        // Tool-call arguments stream through a screen of their own per call.
        const argumentStreams = new Map<number, ReturnType<typeof screenedStream>>();
        const argumentsOf = (index: number) => {
          let stream = argumentStreams.get(index);
          if (!stream) {
            stream = screenedStream(guard, (text) => request.onDelta!({ toolCalls: [{ index, arguments: text }] }));
            argumentStreams.set(index, stream);
          }
          return stream;
        };
        let content = '';
        let finishReason = 'stop';
        let usage: OpenAI.CompletionUsage | undefined;
        const calls: { id: string; name: string; arguments: string }[] = [];
        for await (const chunk of stream) {
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices[0];
          if (!choice) continue;
          if (choice.finish_reason) finishReason = choice.finish_reason;
          const delta: ChatDelta = {};
          if (choice.delta.content) {
            content += choice.delta.content;
            screened.push(choice.delta.content);
          }
          if (choice.delta.tool_calls?.length) {
            delta.toolCalls = choice.delta.tool_calls.map((t) => {
              const slot = (calls[t.index] ??= { id: '', name: '', arguments: '' });
              if (t.id) slot.id = t.id;
              if (t.function?.name) slot.name += t.function.name;
              if (t.function?.arguments) slot.arguments += t.function.arguments;
              if (!guard.screensText) return { index: t.index, id: t.id, name: t.function?.name, arguments: t.function?.arguments };
              if (t.function?.arguments) argumentsOf(t.index).push(t.function.arguments);
              return { index: t.index, id: t.id, name: t.function?.name };
            });
            if (guard.screensText) delta.toolCalls = delta.toolCalls.filter((t) => t.id || t.name);
          }
          if (choice.delta.content) emitted = true;
          if (choice.delta.tool_calls?.length) emitted = true;
          if (delta.toolCalls?.length) request.onDelta!(delta);
        }
        screened.close();
        for (const stream of argumentStreams.values()) stream.close();
        return {
          value: {
            message: { role: 'assistant' as const, content: calls.length && !content ? null : content },
            toolCalls: calls.filter(Boolean),
            finishReason,
          },
          inputTokens: usage?.prompt_tokens ?? 0,
          outputTokens: usage?.completion_tokens ?? 0,
        };
      },
      // Once deltas reached the caller, another provider's answer cannot be spliced in.
      () => !emitted,
      () => {
        messages = screenedMessages(guard, request.messages);
      },
    ).then((result) => screenedAnswer(guard, result));
  }

  async function embed(request: EmbedRequest): Promise<EmbedResult> {
    const inputTokens = request.texts.reduce((sum, text) => sum + countTokens(text), 0);
    return call(request, 'embedding', inputTokens, (model) => costOf(model, inputTokens, 0).costUsd, async ({ client, options, candidate }) => {
      const response = await client.embeddings.create(
        { model: candidate.model, input: request.texts, encoding_format: 'float', ...(request.dimensions ? { dimensions: request.dimensions } : {}) },
        options,
      );
      const embeddings = [...response.data].sort((x, y) => x.index - y.index).map((d) => d.embedding);
      return { value: { embeddings }, inputTokens: response.usage?.prompt_tokens ?? 0, outputTokens: 0 };
    });
  }

  return { chatCompletion, embed };
}

async function workspaceGuard(workspaceId: string): Promise<PolicyGuard> {
  return guardOf(workspaceId, await policyInForce(workspaceId));
}

/**
 * The routed candidates the policy allows. Refused fallbacks are skipped (and
 * logged); when none is left, the call is refused before any request is made.
 * Model allow-lists govern text generation (chat, utility); provider allow-lists every call.
 */
function allowedCandidates(scope: CallScope, guard: PolicyGuard, taskType: TaskType, candidates: Candidate[]): Candidate[] {
  const checkModel = taskType === 'chat' || taskType === 'utility';
  const refusals: string[] = [];
  const allowed = candidates.filter((c) => {
    const refusal = guard.modelRefusal({ providerId: c.provider?.id ?? null, providerName: c.provider?.name ?? LOCAL_PROVIDER, model: c.model, checkModel });
    if (refusal) refusals.push(refusal);
    return !refusal;
  });
  if (refusals.length) {
    logger.warn({ workspaceId: scope.workspaceId, runId: scope.runId ?? undefined, policyVersion: guard.version, refusals }, 'model call refused by policy');
  }
  if (!allowed.length) throw new PolicyViolation(refusals[0] ?? 'The workspace policy allows no model for this call.');
  return allowed;
}

/** The messages as the model may see them: every text part screened, tool results and arguments included. */
function screenedMessages(guard: PolicyGuard, messages: OpenAI.Chat.ChatCompletionMessageParam[]): OpenAI.Chat.ChatCompletionMessageParam[] {
  if (!guard.screensText) return messages;
  return messages.map((message) => {
    const place = message.role === 'tool' ? 'tool result' : 'model input';
    const screened: Record<string, unknown> = { ...message };
    if (typeof message.content === 'string') screened.content = guard.screen(message.content, 'input', place);
    else if (Array.isArray(message.content)) {
      const parts = message.content as { type: string; text?: string }[];
      screened.content = parts.map((part) => (part.type === 'text' && part.text !== undefined ? { ...part, text: guard.screen(part.text, 'input', place) } : part));
    }
    if (message.role === 'assistant' && message.tool_calls) {
      screened.tool_calls = message.tool_calls.map((call) =>
        call.type === 'function' ? { ...call, function: { ...call.function, arguments: guard.screen(call.function.arguments, 'input', 'tool arguments') } } : call,
      );
    }
    return screened as unknown as OpenAI.Chat.ChatCompletionMessageParam;
  });
}

/** The answer as the caller may keep it: text and tool-call arguments screened as model output. */
function screenedAnswer(guard: PolicyGuard, result: ChatResult): ChatResult {
  if (!guard.screensText) return result;
  return {
    ...result,
    message: { ...result.message, content: result.message.content === null ? null : guard.screen(result.message.content, 'output', 'model output') },
    toolCalls: result.toolCalls.map((call) => ({ ...call, arguments: guard.screen(call.arguments, 'output', 'tool arguments') })),
  };
}

function ledgerScope(scope: CallScope, taskType: TaskType, candidate: Candidate) {
  return {
    workspaceId: scope.workspaceId,
    runId: scope.runId,
    stepIndex: scope.stepIndex,
    attempt: scope.attempt,
    agentId: scope.agentId,
    providerId: candidate.provider?.id ?? null,
    provider: candidate.provider?.name ?? LOCAL_PROVIDER,
    model: candidate.model,
    taskType,
  };
}
