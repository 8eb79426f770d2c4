// The workspace's memory browser: its end users, their threads with messages and
// their memory items, and deleting a thread, an item or everything of an end user
// (the right to be forgotten). Runs inside withWorkspaceEndUsers(), the explicit
// admin context that sees every end user of one workspace and nothing of others.
import { withWorkspaceEndUsers, type Tx } from '../db/with-workspace';
import { NotFound } from '../domain-errors';
import { forgetEndUserDerivedStores } from './forget-end-user-cache';

export type EndUserSummary = { endUserId: string; threadCount: number; memoryCount: number; lastActiveAt: Date };
export type ThreadSummary = { id: string; agentId: string; agentName: string; title: string; summary: string; messageCount: number; updatedAt: Date };
export type ThreadMessageView = { position: number; role: 'user' | 'assistant'; content: string; runId: string | null; createdAt: Date };
export type MemoryItemView = { id: string; agentId: string; agentName: string; text: string; sourceRunId: string | null; createdAt: Date };

export async function endUsersOfWorkspace(tx: Tx, workspaceId: string): Promise<EndUserSummary[]> {
  const rows = await tx.$queryRaw<{ end_user_id: string; threads: number; memories: number; last_active: Date }[]>`
    WITH t AS (SELECT end_user_id, count(*)::int AS n, max(updated_at) AS last FROM threads WHERE workspace_id = ${workspaceId}::uuid GROUP BY 1),
         m AS (SELECT end_user_id, count(*)::int AS n, max(created_at) AS last FROM memory_items WHERE workspace_id = ${workspaceId}::uuid GROUP BY 1)
    SELECT coalesce(t.end_user_id, m.end_user_id) AS end_user_id, coalesce(t.n, 0) AS threads, coalesce(m.n, 0) AS memories,
           greatest(t.last, m.last) AS last_active
    FROM t FULL JOIN m ON m.end_user_id = t.end_user_id
    ORDER BY last_active DESC, end_user_id
    LIMIT 500`;
  return rows.map((r) => ({ endUserId: r.end_user_id, threadCount: r.threads, memoryCount: r.memories, lastActiveAt: r.last_active }));
}

export async function threadsOfEndUser(tx: Tx, workspaceId: string, endUserId: string): Promise<ThreadSummary[]> {
  const rows = await tx.$queryRaw<{ id: string; agent_id: string; agent_name: string; title: string; summary: string; messages: number; updated_at: Date }[]>`
    SELECT t.id, t.agent_id, a.name AS agent_name, t.title, t.summary, t.updated_at,
           (SELECT count(*)::int FROM thread_messages m WHERE m.workspace_id = t.workspace_id AND m.thread_id = t.id) AS messages
    FROM threads t JOIN agents a ON a.workspace_id = t.workspace_id AND a.id = t.agent_id
    WHERE t.workspace_id = ${workspaceId}::uuid AND t.end_user_id = ${endUserId}
    ORDER BY t.updated_at DESC
    LIMIT 200`;
  return rows.map((r) => ({ id: r.id, agentId: r.agent_id, agentName: r.agent_name, title: r.title, summary: r.summary, messageCount: r.messages, updatedAt: r.updated_at }));
}

export async function messagesOfThread(tx: Tx, workspaceId: string, threadId: string): Promise<ThreadMessageView[]> {
  const [thread] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM threads WHERE workspace_id = ${workspaceId}::uuid AND id = ${threadId}::uuid`;
  if (!thread) throw new NotFound('Thread not found');
  const rows = await tx.$queryRaw<{ position: number; role: 'user' | 'assistant'; content: string; run_id: string | null; created_at: Date }[]>`
    SELECT position, role, content, run_id, created_at FROM thread_messages
    WHERE workspace_id = ${workspaceId}::uuid AND thread_id = ${threadId}::uuid
    ORDER BY position
    LIMIT 1000`;
  return rows.map((r) => ({ position: r.position, role: r.role, content: r.content, runId: r.run_id, createdAt: r.created_at }));
}

export async function memoryItemsOfEndUser(tx: Tx, workspaceId: string, endUserId: string): Promise<MemoryItemView[]> {
  const rows = await tx.$queryRaw<{ id: string; agent_id: string; agent_name: string; text: string; source_run_id: string | null; created_at: Date }[]>`
    SELECT m.id, m.agent_id, a.name AS agent_name, m.text, m.source_run_id, m.created_at
    FROM memory_items m JOIN agents a ON a.workspace_id = m.workspace_id AND a.id = m.agent_id
    WHERE m.workspace_id = ${workspaceId}::uuid AND m.end_user_id = ${endUserId}
    ORDER BY m.created_at DESC
    LIMIT 500`;
  return rows.map((r) => ({ id: r.id, agentId: r.agent_id, agentName: r.agent_name, text: r.text, sourceRunId: r.source_run_id, createdAt: r.created_at }));
}

/** Deletes a thread and (by cascade) its messages. */
export async function deleteThread(tx: Tx, workspaceId: string, threadId: string): Promise<void> {
  const n = await tx.$executeRaw`DELETE FROM threads WHERE workspace_id = ${workspaceId}::uuid AND id = ${threadId}::uuid`;
  if (!n) throw new NotFound('Thread not found');
}

export async function deleteMemoryItem(tx: Tx, workspaceId: string, itemId: string): Promise<void> {
  const n = await tx.$executeRaw`DELETE FROM memory_items WHERE workspace_id = ${workspaceId}::uuid AND id = ${itemId}::uuid`;
  if (!n) throw new NotFound('Memory item not found');
}

/** Forgets an end user: their threads, messages, memory items with their embeddings, and derived caches. */
export async function forgetEndUser(tx: Tx, workspaceId: string, endUserId: string): Promise<{ threads: number; messages: number; memoryItems: number }> {
  const messages = await tx.$executeRaw`DELETE FROM thread_messages WHERE workspace_id = ${workspaceId}::uuid AND end_user_id = ${endUserId}`;
  const threads = await tx.$executeRaw`DELETE FROM threads WHERE workspace_id = ${workspaceId}::uuid AND end_user_id = ${endUserId}`;
  const memoryItems = await tx.$executeRaw`DELETE FROM memory_items WHERE workspace_id = ${workspaceId}::uuid AND end_user_id = ${endUserId}`;
  await forgetEndUserDerivedStores(tx, workspaceId, endUserId);
  if (!threads && !memoryItems) throw new NotFound('End user not found');
  return { threads, messages, memoryItems };
}

/** The browser's operations, each in its own admin-context transaction of one workspace. */
export const memoryBrowser = {
  endUsers: (workspaceId: string) => withWorkspaceEndUsers(workspaceId, (tx) => endUsersOfWorkspace(tx, workspaceId)),
  threads: (workspaceId: string, endUserId: string) => withWorkspaceEndUsers(workspaceId, (tx) => threadsOfEndUser(tx, workspaceId, endUserId)),
  messages: (workspaceId: string, threadId: string) => withWorkspaceEndUsers(workspaceId, (tx) => messagesOfThread(tx, workspaceId, threadId)),
  items: (workspaceId: string, endUserId: string) => withWorkspaceEndUsers(workspaceId, (tx) => memoryItemsOfEndUser(tx, workspaceId, endUserId)),
  deleteThread: (workspaceId: string, threadId: string) => withWorkspaceEndUsers(workspaceId, (tx) => deleteThread(tx, workspaceId, threadId)),
  deleteItem: (workspaceId: string, itemId: string) => withWorkspaceEndUsers(workspaceId, (tx) => deleteMemoryItem(tx, workspaceId, itemId)),
  forget: (workspaceId: string, endUserId: string) => withWorkspaceEndUsers(workspaceId, (tx) => forgetEndUser(tx, workspaceId, endUserId)),
};
