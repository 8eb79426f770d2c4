// The response cache around a run's model step. Only the first model call of a run
// is looked up or stored (after automatic retrieval, before any tool ran: later
// calls depend on tool results of that moment), and only a final answer is stored
// (no tool calls, finished with "stop"). A hit writes the step as usual with the
// cached answer, meters it at zero cost with cached=true, and makes no model call.
// The cache is best-effort: a failed lookup or store is logged and the run goes on.
import { withWorkspace } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { contextFingerprint, normaliseQuestion, promptHash, questionHash, type CacheRequest, type CacheScope } from '../llm/cache/cache-key';
import {
  countCacheHit,
  exactCachedAnswer,
  similarCachedAnswer,
  storeCachedAnswer,
  type CachedAnswer,
  type QuestionEmbedding,
} from '../llm/cache/response-cache';
import { recordUsage } from '../llm/usage-ledger';
import { logger } from '../observability/logger';
import type { writeStep } from './run-lease';
import { isAutomaticRetrieval, messagesOf, type RunContext } from './run-context';

type StepRecord = Parameters<typeof writeStep>[1] & { costUsd: number; startedAt: Date; finishedAt: Date };

/** How a step records that it was served from the cache (in its response, read by the UI and the span). */
export type CacheHitMark = { match: 'exact' | 'semantic'; similarity: number; entryId: string; sourceRunId: string };

export type ResponseCacheTurn = {
  /** The cached answer for this turn, or null (a miss, or the lookup failed). */
  lookup(gateway: Gateway, signal: AbortSignal, stepIndex: number): Promise<StepRecord | null>;
  /** Stores the model step's answer if it is final. */
  store(step: StepRecord): Promise<void>;
};

/** The cache for this model call, or null when the version has it off or the call is not the run's first. */
export function responseCacheTurn(context: RunContext, now: () => Date = () => new Date()): ResponseCacheTurn | null {
  const { version } = context;
  if (!version.cacheEnabled) return null;
  if (!context.steps.every((step) => isAutomaticRetrieval(step) && step.status === 'ok')) return null;
  const messages = messagesOf(context);
  const retrieved = context.steps.map((step) => step.toolResult);
  const scope: CacheScope = {
    workspaceId: context.workspaceId,
    agentId: context.agentId,
    agentVersion: version.version,
    model: version.model,
    contextFingerprint: contextFingerprint(version.knowledgeBaseIds, retrieved),
    endUserId: version.memoryEnabled ? (context.endUserId ?? null) : null,
  };
  const request: CacheRequest = {
    promptHash: promptHash({
      messages: messages.filter((m) => !(m.role === 'user' && m.content === context.input)),
      tools: context.toolbox.definitions,
      temperature: version.temperature,
      outputSchema: version.outputSchema,
    }),
    questionHash: questionHash(context.input),
    question: context.input,
  };
  let embedding: QuestionEmbedding | null = null;

  return {
    async lookup(gateway, signal, stepIndex) {
      const startedAt = now();
      try {
        let hit = await withWorkspace(scope.workspaceId, (tx) => exactCachedAnswer(tx, scope, request, startedAt));
        if (!hit && version.cacheSimilarityThreshold !== null) {
          const embedded = await gateway.embed({
            workspaceId: scope.workspaceId,
            runId: context.runId,
            agentId: context.agentId,
            signal,
            texts: [normaliseQuestion(request.question)],
          });
          embedding = { model: embedded.model, vector: embedded.embeddings[0] ?? [] };
          const threshold = version.cacheSimilarityThreshold;
          const found = embedding;
          hit = await withWorkspace(scope.workspaceId, (tx) => similarCachedAnswer(tx, scope, request, found, threshold, startedAt));
        }
        if (!hit) return null;
        const served = hit;
        await withWorkspace(scope.workspaceId, (tx) => countCacheHit(tx, scope.workspaceId, served.entryId, startedAt));
        const step = hitStep(stepIndex, served, startedAt, now());
        await recordUsage({
          workspaceId: scope.workspaceId,
          runId: context.runId,
          stepIndex,
          attempt: 1,
          agentId: context.agentId,
          providerId: null,
          provider: served.provider,
          model: served.responseModel,
          taskType: 'chat',
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          priceKnown: true,
          latencyMs: step.latencyMs ?? 0,
          status: 'ok',
          cached: true,
        });
        return step;
      } catch (error) {
        signal.throwIfAborted();
        logger.warn({ runId: context.runId, reason: error instanceof Error ? error.message : String(error) }, 'response cache lookup failed');
        return null;
      }
    },

    async store(step) {
      const response = step.response as { content?: string | null; toolCalls?: unknown[]; finishReason?: string } | null;
      const answer = response?.content ?? '';
      if (step.status !== 'ok' || response?.toolCalls?.length || response?.finishReason !== 'stop' || !answer.trim()) return;
      try {
        await withWorkspace(scope.workspaceId, (tx) =>
          storeCachedAnswer(
            tx,
            scope,
            request,
            {
              answer,
              provider: step.provider ?? 'unknown',
              responseModel: step.model ?? version.model,
              sourceRunId: context.runId,
              ttlSeconds: version.cacheTtlSeconds,
              knowledgeBaseIds: version.knowledgeBaseIds,
              embedding,
            },
            now(),
          ),
        );
      } catch (error) {
        logger.warn({ runId: context.runId, reason: error instanceof Error ? error.message : String(error) }, 'response cache store failed');
      }
    },
  };
}

function hitStep(stepIndex: number, hit: CachedAnswer, startedAt: Date, finishedAt: Date): StepRecord {
  const cached: CacheHitMark = { match: hit.match, similarity: hit.similarity, entryId: hit.entryId, sourceRunId: hit.sourceRunId };
  return {
    stepIndex,
    kind: 'model',
    status: 'ok',
    request: { cacheLookup: hit.match },
    response: { content: hit.answer, toolCalls: [], finishReason: 'stop', cached },
    provider: hit.provider,
    model: hit.responseModel,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
    startedAt,
    finishedAt,
  };
}
