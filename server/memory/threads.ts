// Threads and their messages, read and written inside withEndUser(): the policies
// of migration 0017 already limit every statement to the run's end user, and the
// explicit filters below are there for the planner, not for isolation. A run
// appends its user message and its final answer once (keyed by run and role).
import { countTokens } from 'gpt-tokenizer';
import type { Tx } from '../db/with-workspace';
import { NotFound } from '../domain-errors';

export type ThreadScope = { workspaceId: string; agentId: string; endUserId: string; threadId: string };

export type ThreadTurn = { position: number; role: 'user' | 'assistant'; content: string; tokenCount: number; runId: string | null };

export type ThreadState = { id: string; summary: string; summarizedThrough: number; turns: ThreadTurn[] };

const TITLE_CHARS = 80;

/**
 * The thread a run continues, created under the run's end user when it does not
 * exist yet. A thread of another end user or agent is "not found", never joined.
 */
export async function openThread(tx: Tx, scope: ThreadScope, firstMessage: string): Promise<ThreadState> {
  await tx.$executeRaw`
    INSERT INTO threads (id, workspace_id, agent_id, end_user_id, title)
    VALUES (${scope.threadId}::uuid, ${scope.workspaceId}::uuid, ${scope.agentId}::uuid, ${scope.endUserId}, ${titleOf(firstMessage)})
    ON CONFLICT DO NOTHING`;
  const [thread] = await tx.$queryRaw<{ id: string; summary: string; summarized_through: number }[]>`
    SELECT id, summary, summarized_through FROM threads
    WHERE workspace_id = ${scope.workspaceId}::uuid AND id = ${scope.threadId}::uuid
      AND agent_id = ${scope.agentId}::uuid AND end_user_id = ${scope.endUserId}`;
  if (!thread) throw new NotFound('Thread not found');
  const turns = await tx.$queryRaw<{ position: number; role: 'user' | 'assistant'; content: string; token_count: number; run_id: string | null }[]>`
    SELECT position, role, content, token_count, run_id FROM thread_messages
    WHERE workspace_id = ${scope.workspaceId}::uuid AND thread_id = ${scope.threadId}::uuid AND position > ${thread.summarized_through}
    ORDER BY position`;
  return {
    id: thread.id,
    summary: thread.summary,
    summarizedThrough: thread.summarized_through,
    turns: turns.map((t) => ({ position: t.position, role: t.role, content: t.content, tokenCount: t.token_count, runId: t.run_id })),
  };
}

/** Appends the run's user message and answer at the end of the thread; a retried run appends nothing twice. */
export async function appendRunTurns(tx: Tx, scope: ThreadScope, runId: string, turns: { user: string; assistant: string }): Promise<void> {
  for (const [role, content] of [['user', turns.user], ['assistant', turns.assistant]] as const) {
    await tx.$executeRaw`
      INSERT INTO thread_messages (workspace_id, thread_id, end_user_id, position, role, content, token_count, run_id)
      SELECT ${scope.workspaceId}::uuid, ${scope.threadId}::uuid, ${scope.endUserId}, coalesce(max(position), -1) + 1,
             ${role}, ${content}, ${countTokens(content)}, ${runId}::uuid
      FROM thread_messages WHERE workspace_id = ${scope.workspaceId}::uuid AND thread_id = ${scope.threadId}::uuid
      ON CONFLICT (workspace_id, run_id, role) DO NOTHING`;
  }
  await tx.$executeRaw`UPDATE threads SET updated_at = now() WHERE workspace_id = ${scope.workspaceId}::uuid AND id = ${scope.threadId}::uuid`;
}

/** Stores the summary of every message up to and including position `through`. */
export async function storeThreadSummary(tx: Tx, scope: ThreadScope, summary: string, through: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE threads SET summary = ${summary}, summarized_through = ${through}, updated_at = now()
    WHERE workspace_id = ${scope.workspaceId}::uuid AND id = ${scope.threadId}::uuid AND summarized_through < ${through}`;
}

function titleOf(message: string): string {
  const line = message.trim().split('\n')[0] ?? '';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}
