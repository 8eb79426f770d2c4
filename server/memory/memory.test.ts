// Memory against a real database and the local model over HTTP: end users are
// isolated by the policies alone (raw SELECTs without a filter), runs continue
// their thread and summarise it past the token budget (metered as utility),
// memory_save in one run is recalled in a later run of the same end user and
// never for another, and forgetting an end user leaves none of their rows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEndUser, withWorkspace, type Tx } from '../db/with-workspace';
import { createAgent } from '../agents/agents';
import { claimNextRun } from '../agents/claim-order';
import { NEW_AGENT_DEFAULTS } from '../agents/new-agent-defaults';
import { executeRun, type MemorySettings } from '../agents/run-loop';
import { runById, startRun } from '../agents/runs';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { contextFingerprint, promptHash, questionHash } from '../llm/cache/cache-key';
import { storeCachedAnswer } from '../llm/cache/response-cache';
import { memoryBrowser } from './memory-browser';
import { saveMemory } from './memory-items';
import { appendRunTurns, openThread } from './threads';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let model: LocalModelServer;
let gateway: Gateway;
const sandbox = createQuickJsSandbox();

async function agentWith(name: string, memoryEnabled: boolean) {
  return withWorkspace(ownerA.workspaceId, (tx) =>
    createAgent(tx, ownerA, { ...NEW_AGENT_DEFAULTS, providerId: null, name, description: '', changeNote: '', systemPrompt: 'You are a helpful assistant.', variables: [], memoryEnabled }),
  );
}

async function runToEnd(agentId: string, input: string, endUserId: string | null, threadId: string | null = null, memory?: MemorySettings) {
  const started = await withWorkspace(ownerA.workspaceId, (tx) => startRun(tx, ownerA, { agentId, input, endUserId, threadId }));
  const claimed = await claimNextRun('memory-test-worker', 30_000);
  expect(claimed?.id).toBe(started.id);
  await executeRun({ gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId: 'memory-test-worker', leaseMs: 30_000, ...(memory ? { memory } : {}) }, claimed!);
  return withWorkspace(ownerA.workspaceId, (tx) => runById(tx, ownerA.workspaceId, started.id));
}

/** Rows of an end user in every memory table, counted by the owner (no RLS). */
async function rowsOf(workspaceId: string, endUserId: string) {
  const count = async (table: string) =>
    (await db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1 AND end_user_id = $2`, [workspaceId, endUserId])).rows[0]!.n;
  return { threads: await count('threads'), messages: await count('thread_messages'), memoryItems: await count('memory_items') };
}

type Row = { workspace_id: string; end_user_id: string };

const unit = `[${Array.from({ length: 384 }, () => (1 / Math.sqrt(384)).toFixed(6)).join(',')}]`;

async function seedEndUser(endUserId: string, agentId: string, text: string) {
  return withEndUser(a.workspace.id, endUserId, async (tx) => {
    const scope = { workspaceId: a.workspace.id, agentId, endUserId, threadId: randomUUID() };
    await openThread(tx, scope, text);
    await appendRunTurns(tx, scope, randomUUID(), { user: text, assistant: `Noted, ${endUserId}.` });
    await tx.$executeRaw`
      INSERT INTO memory_items (workspace_id, agent_id, end_user_id, text, embedding_model, dimension, embedding)
      VALUES (${a.workspace.id}::uuid, ${agentId}::uuid, ${endUserId}, ${text}, 'enclave-local-embed', 384, ${unit}::vector)`;
    return scope.threadId;
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  gateway = localModelGateway(model.url);
}, 120_000);

afterAll(async () => {
  await sandbox.close();
  await model?.stop();
  await db?.stop();
});

describe('end-user isolation by the database', () => {
  it('shows a query without any end-user filter only the end user of the transaction', async () => {
    await seedEndUser('xavier', a.agent.id, 'Xavier lives in Lisbon.');
    await seedEndUser('yolanda', a.agent.id, 'Yolanda lives in Oslo.');
    // No WHERE at all: only the policies decide what comes back.
    const unfiltered = {
      threads: (tx: Tx) => tx.$queryRaw<Row[]>`SELECT workspace_id::text, end_user_id FROM threads`,
      thread_messages: (tx: Tx) => tx.$queryRaw<Row[]>`SELECT workspace_id::text, end_user_id FROM thread_messages`,
      memory_items: (tx: Tx) => tx.$queryRaw<Row[]>`SELECT workspace_id::text, end_user_id FROM memory_items`,
    };
    for (const [table, read] of Object.entries(unfiltered)) {
      const seen = await withEndUser(a.workspace.id, 'xavier', read);
      expect(seen.length, table).toBeGreaterThan(0);
      expect(new Set(seen.map((r) => `${r.workspace_id}/${r.end_user_id}`)), table).toEqual(new Set([`${a.workspace.id}/xavier`]));
      // The workspace context alone sees no end user's rows at all.
      expect(await withWorkspace(a.workspace.id, read), table).toEqual([]);
    }
    const text = await withEndUser(a.workspace.id, 'xavier', (tx) => tx.$queryRaw<{ text: string }[]>`SELECT text FROM memory_items`);
    expect(text.map((r) => r.text)).toEqual(['Xavier lives in Lisbon.']);
  });

  it("refuses writing another end user's rows, even into their thread by id", async () => {
    const yThread = (await db.owner.query<{ id: string }>(`SELECT id FROM threads WHERE end_user_id = 'yolanda'`)).rows[0]!.id;
    await expect(
      withEndUser(a.workspace.id, 'xavier', (tx) => tx.$executeRaw`
        INSERT INTO memory_items (workspace_id, agent_id, end_user_id, text, embedding_model, dimension, embedding)
        VALUES (${a.workspace.id}::uuid, ${a.agent.id}::uuid, 'yolanda', 'planted', 'enclave-local-embed', 384, ${unit}::vector)`),
    ).rejects.toThrow(/row-level security/);
    // Tagging the message as one's own does not get it into someone else's thread: the key carries the end user.
    await expect(
      withEndUser(a.workspace.id, 'xavier', (tx) => tx.$executeRaw`
        INSERT INTO thread_messages (workspace_id, thread_id, end_user_id, position, role, content)
        VALUES (${a.workspace.id}::uuid, ${yThread}::uuid, 'xavier', 99, 'user', 'planted')`),
    ).rejects.toThrow();
    const updated = await withEndUser(a.workspace.id, 'xavier', (tx) => tx.$executeRaw`UPDATE threads SET title = 'taken' WHERE id = ${yThread}::uuid`);
    const deleted = await withEndUser(a.workspace.id, 'xavier', (tx) => tx.$executeRaw`DELETE FROM memory_items WHERE end_user_id = 'yolanda'`);
    expect([updated, deleted]).toEqual([0, 0]);
    expect(await rowsOf(a.workspace.id, 'yolanda')).toEqual({ threads: 1, messages: 2, memoryItems: 1 });
  });

  it("never shows one workspace's end user to another workspace with the same end-user id", async () => {
    const seen = await withEndUser(b.workspace.id, 'alpha-customer-1', (tx) => tx.$queryRaw<unknown[]>`SELECT 1 FROM memory_items UNION ALL SELECT 1 FROM threads`);
    expect(seen).toEqual([]);
    const browsed = await memoryBrowser.endUsers(b.workspace.id);
    expect(browsed.map((e) => e.endUserId)).toEqual(['bravo-customer-1']);
  });
});

describe('threads', () => {
  it('continues a thread: the second run sees the first turn, and the thread holds both turns', async () => {
    const agent = await agentWith('Thread keeper', false);
    const first = await runToEnd(agent.id, 'My name is Ada Lovelace.', 'ada');
    expect(first.status).toBe('succeeded');
    expect(first.threadId).not.toBeNull();
    const second = await runToEnd(agent.id, 'What is my name?', 'ada', first.threadId);
    expect(second.status).toBe('succeeded');
    expect(second.output).toContain('Ada Lovelace');
    expect(second.steps[0]!.kind).toBe('model');
    const messages = await memoryBrowser.messages(a.workspace.id, first.threadId!);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'My name is Ada Lovelace.'],
      ['assistant', first.output],
      ['user', 'What is my name?'],
      ['assistant', second.output],
    ]);
  }, 60_000);

  it("fails a run that names another end user's thread, and writes nothing into it", async () => {
    const agent = await agentWith('Thread thief', false);
    const first = await runToEnd(agent.id, 'My locker code is 4411.', 'grace');
    const stolen = await runToEnd(agent.id, 'What is my locker code?', 'mallory', first.threadId);
    expect(stolen.status).toBe('failed');
    expect(stolen.error).toBe('Thread not found');
    expect(await rowsOf(a.workspace.id, 'grace')).toMatchObject({ threads: 1, messages: 2 });
    expect(await rowsOf(a.workspace.id, 'mallory')).toEqual({ threads: 0, messages: 0, memoryItems: 0 });
  }, 60_000);

  it('summarises older turns with the utility model once the history outgrows its budget', async () => {
    const agent = await agentWith('Long talker', false);
    const threadId = await withEndUser(a.workspace.id, 'talker', async (tx) => {
      const scope = { workspaceId: a.workspace.id, agentId: agent.id, endUserId: 'talker', threadId: randomUUID() };
      await openThread(tx, scope, 'Hello');
      for (let i = 0; i < 6; i += 1) {
        await appendRunTurns(tx, scope, randomUUID(), {
          user: `Turn ${i}: my order number ${1000 + i} is about a ${['red', 'green', 'blue', 'amber', 'violet', 'grey'][i]} lamp that arrived broken and I want it replaced soon.`,
          assistant: `Turn ${i}: I have noted order ${1000 + i} and will arrange a replacement lamp for you as soon as possible.`,
        });
      }
      return scope.threadId;
    });
    const run = await runToEnd(agent.id, 'Which lamp colours did I mention?', 'talker', threadId, { historyTokenBudget: 150, recallLimit: 5 });
    expect(run.status).toBe('succeeded');
    const [thread] = (await db.owner.query<{ summary: string; summarized_through: number }>(`SELECT summary, summarized_through FROM threads WHERE id = $1`, [threadId])).rows;
    // Made from the folded turns (the local utility model quotes the most relevant one).
    expect(thread!.summary).toMatch(/Turn \d: my order number 10\d\d/);
    expect(thread!.summarized_through).toBeGreaterThanOrEqual(0);
    // The model saw the system prompt, at most the budget's newest turns and the input — not all twelve turns.
    const request = run.steps.find((s) => s.kind === 'model')!;
    const { rows: steps } = await db.owner.query<{ request: { messageCount: number } }>(`SELECT request FROM run_steps WHERE run_id = $1 AND step_index = $2`, [run.id, request.stepIndex]);
    expect(steps[0]!.request.messageCount).toBeLessThan(12);
    // The summary call is metered against the run as a utility call.
    const { rows: usage } = await db.owner.query<{ task_type: string }>(`SELECT task_type FROM usage_events WHERE run_id = $1 ORDER BY created_at`, [run.id]);
    expect(usage.map((u) => u.task_type)).toContain('utility');
  }, 60_000);
});

describe('long-term memory', () => {
  it('saves with memory_save, then recalls in a later run of the same end user, and never for another', async () => {
    const agent = await agentWith('Rememberer', true);
    const saved = await runToEnd(agent.id, 'Please memory save: my favourite colour is teal', 'carol');
    expect(saved.status).toBe('succeeded');
    const saveStep = saved.steps.find((s) => s.kind === 'tool' && s.toolName === 'memory_save');
    expect(saveStep).toMatchObject({ status: 'ok' });
    const items = await memoryBrowser.items(a.workspace.id, 'carol');
    expect(items.map((i) => i.text)).toEqual(['my favourite colour is teal']);
    expect(items[0]!.sourceRunId).toBe(saved.id);

    const recalled = await runToEnd(agent.id, 'Use memory recall about my favourite colour', 'carol');
    expect(recalled.status).toBe('succeeded');
    const automatic = recalled.steps[0]!;
    expect(automatic).toMatchObject({ kind: 'tool', toolName: 'memory_recall', toolCallId: null, status: 'ok' });
    expect(JSON.stringify(automatic.toolResult)).toContain('teal');
    const byTool = recalled.steps.find((s) => s.kind === 'tool' && s.toolName === 'memory_recall' && s.toolCallId !== null);
    expect(JSON.stringify(byTool!.toolResult)).toContain('favourite colour is teal');
    expect(recalled.output).toContain('teal');
    // Both recall embeddings were metered against the run.
    const { rows: usage } = await db.owner.query<{ task_type: string }>(`SELECT task_type FROM usage_events WHERE run_id = $1`, [recalled.id]);
    expect(usage.filter((u) => u.task_type === 'embedding').length).toBe(2);

    const other = await runToEnd(agent.id, 'Use memory recall about my favourite colour', 'dave');
    expect(other.status).toBe('succeeded');
    expect(JSON.stringify(other.steps)).not.toContain('teal');
    expect(other.output).not.toContain('teal');
  }, 90_000);

  it('saves once when the same run step is redone (keyed by source run and step)', async () => {
    const scope = { workspaceId: a.workspace.id, agentId: a.agent.id, endUserId: 'erin', runId: a.run.id, stepIndex: 3 };
    const first = await saveMemory(gateway, scope, 'Erin is vegetarian.');
    const again = await saveMemory(gateway, scope, 'Erin is vegetarian.');
    expect(again.id).toBe(first.id);
    expect(await rowsOf(a.workspace.id, 'erin')).toMatchObject({ memoryItems: 1 });
    await expect(saveMemory(gateway, { ...scope, stepIndex: 4 }, ' ')).rejects.toThrow('A memory needs some text.');
  });

  it('offers no memory tools to a run without an end user', async () => {
    const agent = await agentWith('Anonymous', true);
    const run = await runToEnd(agent.id, 'Please memory save that I like tea', null);
    expect(run.status).toBe('succeeded');
    expect(run.threadId).toBeNull();
    expect(run.steps.every((s) => s.kind === 'model')).toBe(true);
  }, 60_000);
});

describe('the memory browser', () => {
  it('lists end users with their threads and items, and deletes a thread and an item', async () => {
    const users = await memoryBrowser.endUsers(a.workspace.id);
    expect(users.map((u) => u.endUserId)).toEqual(expect.arrayContaining(['alpha-customer-1', 'ada', 'carol', 'xavier']));
    const threads = await memoryBrowser.threads(a.workspace.id, 'xavier');
    expect(threads).toHaveLength(1);
    await memoryBrowser.deleteThread(a.workspace.id, threads[0]!.id);
    const [item] = await memoryBrowser.items(a.workspace.id, 'xavier');
    await memoryBrowser.deleteItem(a.workspace.id, item!.id);
    expect(await rowsOf(a.workspace.id, 'xavier')).toEqual({ threads: 0, messages: 0, memoryItems: 0 });
    await expect(memoryBrowser.deleteThread(a.workspace.id, threads[0]!.id)).rejects.toThrow('Thread not found');
    // B's thread and item are not reachable from A's browser.
    await expect(memoryBrowser.messages(a.workspace.id, b.thread.id)).rejects.toThrow('Thread not found');
    await expect(memoryBrowser.deleteItem(a.workspace.id, b.memoryItem.id)).rejects.toThrow('Memory item not found');
  });

  it('forgets an end user: no thread, message, memory item (nor its embedding) or cached answer is left', async () => {
    expect(await rowsOf(a.workspace.id, 'carol')).toMatchObject({ memoryItems: 1 });
    for (const endUserId of ['carol', 'ada']) await cacheAnswerFor(endUserId);
    const forgotten = await memoryBrowser.forget(a.workspace.id, 'carol');
    expect(await cachedAnswersOf('carol')).toBe(0);
    expect(await cachedAnswersOf('ada')).toBe(1);
    expect(forgotten.memoryItems).toBe(1);
    expect(await rowsOf(a.workspace.id, 'carol')).toEqual({ threads: 0, messages: 0, memoryItems: 0 });
    // Everyone else is untouched, in this workspace and the other.
    expect(await rowsOf(a.workspace.id, 'ada')).toMatchObject({ threads: 1, messages: 4 });
    expect(await rowsOf(b.workspace.id, 'bravo-customer-1')).toEqual({ threads: 1, messages: 2, memoryItems: 1 });
    await expect(memoryBrowser.forget(a.workspace.id, 'carol')).rejects.toThrow('End user not found');
  });
});

/** A cached answer of A's agent for one end user, as a memory-enabled version stores it. */
async function cacheAnswerFor(endUserId: string) {
  await withWorkspace(a.workspace.id, (tx) =>
    storeCachedAnswer(
      tx,
      { workspaceId: a.workspace.id, agentId: a.agent.id, agentVersion: 2, model: 'enclave-local-chat', contextFingerprint: contextFingerprint([], []), endUserId },
      { promptHash: promptHash({ messages: [], tools: [], temperature: 0.2, outputSchema: null }), questionHash: questionHash(`What does ${endUserId} prefer?`) },
      { answer: 'Email.', provider: 'local', responseModel: 'enclave-local-chat', sourceRunId: a.run.id, ttlSeconds: 3_600, knowledgeBaseIds: [], embedding: null },
      new Date(),
    ),
  );
}

async function cachedAnswersOf(endUserId: string): Promise<number> {
  const { rows } = await db.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM response_cache_entries WHERE workspace_id = $1 AND end_user_id = $2', [
    a.workspace.id,
    endUserId,
  ]);
  return rows[0]!.n;
}
