// The part of a thread a run puts into its model context: every earlier turn when
// they fit the token budget; otherwise the newest turns within half the budget and
// a summary of everything older, made by the gateway's utility model (metered
// against the run) and stored on the thread so the next run starts from it.
import type OpenAI from 'openai';
import { withEndUser } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { storeThreadSummary, type ThreadScope, type ThreadState, type ThreadTurn } from './threads';

export type ThreadHistory = { summary: string; turns: ThreadTurn[]; summarized: boolean };

type CallScope = ThreadScope & { runId: string; signal: AbortSignal };

const SUMMARY_MAX_TOKENS = 400;

export async function threadHistory(gateway: Gateway, scope: CallScope, thread: ThreadState, tokenBudget: number): Promise<ThreadHistory> {
  // A run resumed after it appended its own turns must not read them back as history.
  const turns = thread.turns.filter((t) => t.runId !== scope.runId);
  const total = turns.reduce((sum, t) => sum + t.tokenCount, 0);
  if (total <= tokenBudget) return { summary: thread.summary, turns, summarized: false };

  const kept: ThreadTurn[] = [];
  let keptTokens = 0;
  for (const turn of [...turns].reverse()) {
    if (keptTokens + turn.tokenCount > tokenBudget / 2) break;
    kept.unshift(turn);
    keptTokens += turn.tokenCount;
  }
  const folded = turns.slice(0, turns.length - kept.length);
  const summary = await summarise(gateway, scope, thread.summary, folded);
  await withEndUser(scope.workspaceId, scope.endUserId, (tx) => storeThreadSummary(tx, scope, summary, folded.at(-1)!.position));
  return { summary, turns: kept, summarized: true };
}

async function summarise(gateway: Gateway, scope: CallScope, earlier: string, turns: ThreadTurn[]): Promise<string> {
  const transcript = turns.map((t) => `${t.role === 'user' ? 'User' : 'Assistant'}: ${t.content}`).join('\n');
  const result = await gateway.chatCompletion({
    workspaceId: scope.workspaceId,
    runId: scope.runId,
    // Not a step of the run: no step index, so the ledger records it as its own row.
    stepIndex: null,
    agentId: scope.agentId,
    taskType: 'utility',
    signal: scope.signal,
    maxTokens: SUMMARY_MAX_TOKENS,
    temperature: 0,
    // The dialogue goes in the system message and the ask is short, so a model that
    // quotes its context (the local one) quotes the dialogue rather than the ask.
    messages: [
      {
        role: 'system',
        content: [
          'Write a short summary of the dialogue below for the assistant who continues it: the facts, requests and decisions that matter later, in at most 150 words.',
          earlier ? `Earlier summary: ${earlier}` : '',
          transcript,
        ]
          .filter(Boolean)
          .join('\n\n'),
      },
      { role: 'user', content: 'What has the user told and asked so far?' },
    ],
  });
  const text = result.message.content?.trim();
  // A model that returns nothing still must not lose the earlier turns entirely.
  return text || [earlier, transcript].filter(Boolean).join('\n').slice(-4_000);
}

/** The history as chat messages, placed between the system prompt and the run's input. */
export function historyMessages(history: ThreadHistory | null): OpenAI.Chat.ChatCompletionMessageParam[] {
  if (!history) return [];
  return history.turns.map((t) => ({ role: t.role, content: t.content }));
}
