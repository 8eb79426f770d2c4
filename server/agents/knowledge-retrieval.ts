// How a run reaches its version's knowledge bases: the search handed to the
// knowledge_search tool, and the automatic retrieval step written before the
// first model call when the version retrieves into the context. Both search only
// the version's knowledge bases, in the run's workspace, metered against the run.
import { DomainError } from '../domain-errors';
import type { Gateway } from '../llm/gateway';
import { searchKnowledge, type SearchHit } from '../knowledge/hybrid-search';
import type { writeStep } from './run-lease';
import type { RunContext } from './run-context';
import { KNOWLEDGE_SEARCH_TOOL, citedPassages } from './tools/knowledge-search';

/** Passages put into the context by automatic retrieval. */
export const AUTOMATIC_RETRIEVAL_LIMIT = 5;

type Scope = Pick<RunContext, 'workspaceId' | 'runId' | 'agentId' | 'version'>;

export function runKnowledgeSearch(
  gateway: Gateway,
  context: Scope,
  signal: AbortSignal,
  stepIndex: number | null = null,
): ((query: string, limit: number) => Promise<SearchHit[]>) | undefined {
  if (!context.version.knowledgeBaseIds.length) return undefined;
  return async (query, limit) => {
    const result = await searchKnowledge(
      gateway,
      { workspaceId: context.workspaceId, runId: context.runId, stepIndex, agentId: context.agentId, signal },
      { query, knowledgeBaseIds: context.version.knowledgeBaseIds, limit },
    );
    return result.hits;
  };
}

type RetrievalStep = Parameters<typeof writeStep>[1] & { costUsd: number; startedAt: Date; finishedAt: Date };

/** Searches with the run's input; a failed search is recorded and the run goes on without passages. */
export async function automaticRetrievalStep(gateway: Gateway, context: RunContext, stepIndex: number, signal: AbortSignal): Promise<RetrievalStep> {
  const startedAt = new Date();
  const search = runKnowledgeSearch(gateway, context, signal, stepIndex)!;
  let result: object;
  let error: string | null = null;
  try {
    result = { passages: citedPassages(await search(context.input, AUTOMATIC_RETRIEVAL_LIMIT)) };
  } catch (failure) {
    signal.throwIfAborted();
    error = failure instanceof DomainError ? failure.message : 'The knowledge search failed.';
    result = { error };
  }
  return {
    stepIndex,
    kind: 'tool',
    status: error ? 'error' : 'ok',
    toolName: KNOWLEDGE_SEARCH_TOOL,
    toolCallId: null,
    toolArgs: { query: context.input, automatic: true },
    toolResult: result,
    error,
    costUsd: 0,
    latencyMs: Date.now() - startedAt.getTime(),
    startedAt,
    finishedAt: new Date(),
  };
}
