// Seeds two independent workspaces through the domain functions, so the
// isolation suites have rows of both tenants in every tenant table. When a new
// tenant table arrives, extend seedTenant() so it gets rows too — the suites
// fail until it does.
import { randomUUID } from 'node:crypto';
import { createAgent, publishAgentVersion } from '../agents/agents';
import { createCustomTool } from '../agents/custom-tools';
import { createSnippet } from '../agents/prompt-snippets';
import { startRun } from '../agents/runs';
import { withEndUser, withWorkspace } from '../db/with-workspace';
import { appendRunTurns, openThread } from '../memory/threads';
import { signUp, type AccountSummary } from '../tenancy/accounts';
import { acceptInvitation, inviteMember } from '../tenancy/invitations';
import { membershipOfUser } from '../tenancy/members';
import { createWorkspace, type WorkspaceSummary } from '../tenancy/workspaces';
import { setPrivateEgress } from '../llm/egress-grants';
import { addProvider } from '../llm/providers';
import { setRoute } from '../llm/routing';
import { recordUsage } from '../llm/usage-ledger';
import { recordRunSpan, recordStepSpan } from '../observability/trace-spans';
import { allowedHostsOfWorkspace } from '../net/egress-allow-list';
import { createSecret } from '../vault/secrets';
import { recordingEgress } from './recording-egress';
import { addPastedDocument } from '../knowledge/knowledge-documents';
import { createKnowledgeBase } from '../knowledge/knowledge-bases';
import { LOCAL_HASHED_EMBEDDING_MODEL } from '../knowledge/embedding-models';
import { setRetention } from '../lifecycle/retention-settings';
import { requestExport } from '../lifecycle/workspace-exports';
import { storeCachedAnswer } from '../llm/cache/response-cache';
import { createBudget } from '../governance/budgets';
import { reserveCallBudget } from '../governance/budget-reservation';
import { contextFingerprint, promptHash, questionHash } from '../llm/cache/cache-key';

export type SeededTenant = {
  workspace: WorkspaceSummary;
  owner: AccountSummary;
  /** A second member, joined through an accepted invitation (role: member). */
  member: AccountSummary;
  memberMembershipId: string;
  pendingInvitation: { id: string; token: string };
  /** A vault secret (which also creates the workspace's data key); its value is `secretValue`. */
  secret: { id: string; name: string };
  secretValue: string;
  /** An agent with two versions whose prompt includes `snippet` and enables `customTool`. */
  agent: { id: string; name: string };
  snippet: { id: string; name: string };
  /** A custom HTTP tool whose auth header reads `secret`. */
  customTool: { id: string; name: string };
  /** The egress allow-list entry saving `customTool` added (its host). */
  allowedHost: { id: string; pattern: string };
  /** A finished run of `agent` with one model step and its trace (finished, so no test's worker claims it). */
  run: { id: string };
  /** A model provider using that secret, routed for chat, with one usage row. */
  provider: { id: string; name: string };
  /** A knowledge base (hashed model) with one ready pasted document of one chunk. */
  knowledgeBase: { id: string };
  knowledgeDocument: { id: string };
  knowledgeChunkText: string;
  /** An end user of `agent` with one thread (two messages, from `run`) and one memory item. */
  endUserId: string;
  thread: { id: string };
  memoryItem: { id: string; text: string };
  /** A response cache entry of the agent's version 2, answered by `run`, with a question embedding. */
  cacheEntry: { id: string };
  /** A requested (queued) workspace export; the workspace also has retention settings (a year for runs). */
  exportRequest: { id: string };
  /** A pending approval (tool http_request at step 1, expiring in an hour) of a second run of `agent`, which awaits it. */
  approval: { id: string; runId: string };
  /** A soft workspace budget ($100 a month) with its month's row, one reservation held and its 50% alert. */
  budget: { id: string };
};

const PASSWORD = 'correct horse battery staple';

function tokenOf(url: string): string {
  return url.split('/invite/')[1]!;
}

async function seedTenant(label: string, operatorId: string): Promise<SeededTenant> {
  const owner = await signUp({ email: `owner@${label}.test`, name: `${label} owner`, password: PASSWORD });
  const member = await signUp({ email: `member@${label}.test`, name: `${label} member`, password: PASSWORD });
  const workspace = await createWorkspace(owner.id, { name: `${label} workspace` });
  const actor = { userId: owner.id, workspaceId: workspace.id, role: 'owner' as const };

  const joined = await withWorkspace(workspace.id, (tx) => inviteMember(tx, actor, { email: member.email, role: 'member' }));
  await acceptInvitation(member, tokenOf(joined.url));
  const membership = await withWorkspace(workspace.id, (tx) => membershipOfUser(tx, workspace.id, member.id));

  const pending = await withWorkspace(workspace.id, (tx) =>
    inviteMember(tx, actor, { email: `pending@${label}.test`, role: 'viewer' }),
  );
  const secretValue = `${label}-provider-key-${workspace.id}`;
  const secret = await withWorkspace(workspace.id, (tx) => createSecret(tx, actor, { name: 'PROVIDER_API_KEY', value: secretValue }));
  const { agent, snippet, customTool, allowedHost } = await withWorkspace(workspace.id, async (tx) => {
    const snippet = await createSnippet(tx, actor, { name: 'house-style', description: 'Tone of voice', body: `Answer as ${label} support, briefly.` });
    const customTool = await createCustomTool(tx, actor, {
      name: 'order_lookup',
      description: 'Looks up an order by id.',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
      method: 'GET',
      urlTemplate: `https://api.${label}.example/orders/{order_id}`,
      authHeader: 'Authorization',
      authSecretName: secret.name,
      authPrefix: 'Bearer ',
      enabled: true,
    });
    const content = {
      systemPrompt: 'You are the assistant of {{company}}.\n{{> house-style}}',
      variables: [{ name: 'company', default: `${label} Inc.`, description: '' }],
      providerId: null,
      model: 'enclave-local-chat',
      temperature: 0.2,
      maxSteps: 4,
      maxRunSeconds: 60,
      tools: ['http_request'],
      memoryEnabled: false,
      knowledgeBaseIds: [],
      knowledgeMode: 'tool' as const,
      outputSchema: null,
    };
    const agent = await createAgent(tx, actor, { name: 'Support assistant', description: `${label} support`, changeNote: '', ...content });
    await publishAgentVersion(tx, actor, agent.id, { ...content, tools: ['http_request', customTool.name], changeNote: 'Order lookups' });
    const allowedHost = (await allowedHostsOfWorkspace(tx, workspace.id))[0]!;
    return { agent, snippet, customTool, allowedHost };
  });
  // The provider's host resolves from a table; nothing is dialled while seeding.
  const egress = recordingEgress({ [`llm.${label}.test`]: ['93.184.215.14'] });
  const provider = await addProvider(
    actor,
    { name: `${label} provider`, kind: 'vllm', baseUrl: `https://llm.${label}.test/v1`, apiKeySecretId: secret.id, models: ['enclave-local-chat'], enabled: true, priority: 10, timeoutMs: 30_000 },
    egress.adapters,
  );
  await withWorkspace(workspace.id, (tx) => setRoute(tx, actor, 'chat', [{ providerId: provider.id, model: 'enclave-local-chat' }]));
  await withWorkspace(workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: workspace.id, allowed: false, operatorUserId: operatorId }));
  await recordUsage({
    workspaceId: workspace.id,
    providerId: provider.id,
    provider: provider.name,
    model: 'enclave-local-chat',
    taskType: 'chat',
    inputTokens: 12,
    outputTokens: 34,
    costUsd: 0.0000148,
    priceKnown: true,
    latencyMs: 5,
    status: 'ok',
  });
  const run = await withWorkspace(workspace.id, async (tx) => {
    const started = await startRun(tx, actor, { agentId: agent.id, input: 'Where is my order?', idempotencyKey: 'seed-run' });
    const answer = `From the instructions: You are the assistant of ${label} Inc.`;
    const startedAt = new Date();
    await tx.runStep.create({
      data: {
        workspaceId: workspace.id, runId: started.id, stepIndex: 0, kind: 'model', status: 'ok',
        response: { content: answer, toolCalls: [] }, provider: 'local', model: 'enclave-local-chat',
        inputTokens: 12, outputTokens: 9, latencyMs: 5, startedAt,
      },
    });
    await recordStepSpan(tx, workspace.id, started.id, {
      stepIndex: 0, kind: 'model', status: 'ok', error: null, provider: 'local', model: 'enclave-local-chat',
      inputTokens: 12, outputTokens: 9, costUsd: 0, latencyMs: 5, finishReason: 'stop', toolName: null, toolCallId: null,
      startedAt, finishedAt: new Date(),
    }, { model: 'enclave-local-chat', temperature: 0.2 });
    await tx.run.update({
      where: { workspaceId_id: { workspaceId: workspace.id, id: started.id } },
      data: { status: 'succeeded', output: answer, startedAt, finishedAt: new Date() },
    });
    // Text a follow-up step had streamed (finishing the run deletes chunks, so it is added after).
    await tx.runStreamChunk.create({ data: { workspaceId: workspace.id, runId: started.id, attempt: 1, stepIndex: 1, seq: 0, text: `${label} streamed` } });
    await recordRunSpan(tx, workspace.id, started.id);
    return started;
  });
  const knowledgeChunkText = `${label} keeps its spare keys in the blue cabinet.`;
  const knowledge = await withWorkspace(workspace.id, async (tx) => {
    const base = await createKnowledgeBase(tx, actor, { name: 'Office notes', embeddingModel: LOCAL_HASHED_EMBEDDING_MODEL });
    const document = await addPastedDocument(tx, actor, base.id, { name: 'Keys', text: knowledgeChunkText });
    // Written as the ingestion worker would, without a model server: any unit-length vector will do.
    const vector = `[${Array.from({ length: base.dimension }, () => (1 / Math.sqrt(base.dimension)).toFixed(6)).join(',')}]`;
    await tx.$executeRaw`
      INSERT INTO knowledge_chunks (workspace_id, knowledge_base_id, document_id, position, heading_path, text, token_count, embedding_model, dimension, embedding)
      VALUES (${workspace.id}::uuid, ${base.id}::uuid, ${document.id}::uuid, 0, '{}', ${knowledgeChunkText}, 12, ${base.embeddingModel}, ${base.dimension}::int, ${vector}::vector)`;
    await tx.knowledgeDocument.update({
      where: { workspaceId_id: { workspaceId: workspace.id, id: document.id } },
      data: { status: 'ready', progress: 100, chunkCount: 1, embeddingModel: base.embeddingModel, finishedAt: new Date() },
    });
    return { base, document };
  });
  const endUserId = `${label}-customer-1`;
  const memoryText = `${label} customer prefers email over phone.`;
  const memory = await withEndUser(workspace.id, endUserId, async (tx) => {
    const scope = { workspaceId: workspace.id, agentId: agent.id, endUserId, threadId: randomUUID() };
    await openThread(tx, scope, 'Where is my order?');
    await appendRunTurns(tx, scope, run.id, { user: 'Where is my order?', assistant: `${label} order is on its way.` });
    // As memory_save writes it, without a model server: any unit-length vector will do.
    const vector = `[${Array.from({ length: 384 }, () => (1 / Math.sqrt(384)).toFixed(6)).join(',')}]`;
    const [item] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO memory_items (workspace_id, agent_id, end_user_id, text, embedding_model, dimension, embedding, source_run_id)
      VALUES (${workspace.id}::uuid, ${agent.id}::uuid, ${endUserId}, ${memoryText}, ${LOCAL_HASHED_EMBEDDING_MODEL}, 384, ${vector}::vector, ${run.id}::uuid)
      RETURNING id`;
    return { threadId: scope.threadId, itemId: item!.id };
  });
  const cacheEntryId = await withWorkspace(workspace.id, (tx) =>
    storeCachedAnswer(
      tx,
      { workspaceId: workspace.id, agentId: agent.id, agentVersion: 2, model: 'enclave-local-chat', contextFingerprint: contextFingerprint([], []), endUserId: null },
      { promptHash: promptHash({ messages: [], tools: [], temperature: 0.2, outputSchema: null }), questionHash: questionHash('Where is my order?') },
      {
        answer: `From the instructions: You are the assistant of ${label} Inc.`,
        provider: 'local',
        responseModel: 'enclave-local-chat',
        sourceRunId: run.id,
        ttlSeconds: 86_400,
        knowledgeBaseIds: [],
        embedding: { model: LOCAL_HASHED_EMBEDDING_MODEL, vector: [0.6, 0.8, 0] },
      },
      new Date(),
    ),
  );
  // Governance shapes (migrations 0019, 0025), written as their owners would: a policy version, an operator override, a queue clock.
  await withWorkspace(workspace.id, async (tx) => {
    await tx.workspacePolicy.create({
      data: { workspaceId: workspace.id, version: 1, document: { pii: { actions: { email: 'redact' } } }, createdBy: owner.id },
    });
    await tx.workspaceLimitOverride.create({ data: { workspaceId: workspace.id, runsPerMinute: 77, updatedBy: operatorId } });
    // The fair scheduler's clock (migration 0025) as one claim at weight 1 leaves it.
    await tx.workspaceQueueClock.create({ data: { workspaceId: workspace.id, queue: 'runs', virtualTime: 1, lastStart: 0, claims: 1 } });
  });
  // Data lifecycle (migration 0022): retention settings and a requested export.
  const exportRequest = await withWorkspace(workspace.id, async (tx) => {
    await setRetention(tx, actor, { runsDays: 365, tracesDays: null, messagesDays: null, memoryDays: null });
    return requestExport(tx, actor);
  });
  // As a worker's pause writes them: a run held at its tool call, and the approval it waits for.
  const approval = await withWorkspace(workspace.id, async (tx) => {
    const waiting = await startRun(tx, actor, { agentId: agent.id, input: 'Fetch https://example.com', idempotencyKey: 'seed-approval-run' });
    await tx.run.update({
      where: { workspaceId_id: { workspaceId: workspace.id, id: waiting.id } },
      data: { status: 'awaiting_approval', startedAt: new Date(), deadlineAt: new Date(Date.now() + 3_600_000), attemptCount: 1 },
    });
    const row = await tx.runApproval.create({
      data: {
        workspaceId: workspace.id, runId: waiting.id, stepIndex: 1, kind: 'tool', toolName: 'http_request',
        toolArgs: { url: 'https://example.com' }, rule: 'Calls to the tool http_request need an approval.',
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    return { id: row.id, runId: waiting.id };
  });
  const budget = await withWorkspace(workspace.id, (tx) =>
    createBudget(tx, actor, { name: 'Monthly spend', agentId: null, monthlyLimitUsd: 100, enforcement: 'soft' }),
  );
  // A call in flight for a day (no test's run holds it), and the 50% alert as settling would record it.
  await reserveCallBudget({ workspaceId: workspace.id }, 0.001, 86_400_000);
  await withWorkspace(workspace.id, (tx) =>
    tx.budgetAlert.create({
      data: { workspaceId: workspace.id, budgetId: budget.id, periodStart: new Date(`${budget.periodStart}T00:00:00Z`), threshold: 50, spentUsd: 50 },
    }),
  );
  return {
    approval,
    endUserId,
    thread: { id: memory.threadId },
    memoryItem: { id: memory.itemId, text: memoryText },
    cacheEntry: { id: cacheEntryId },
    exportRequest: { id: exportRequest.id },
    budget: { id: budget.id },
    knowledgeBase: { id: knowledge.base.id },
    knowledgeDocument: { id: knowledge.document.id },
    knowledgeChunkText,
    run: { id: run.id },
    provider: { id: provider.id, name: provider.name },
    workspace,
    owner,
    member,
    memberMembershipId: membership!.id,
    pendingInvitation: { id: pending.invitation.id, token: tokenOf(pending.url) },
    secret: { id: secret.id, name: secret.name },
    secretValue,
    agent: { id: agent.id, name: agent.name },
    snippet: { id: snippet.id, name: snippet.name },
    customTool: { id: customTool.id, name: customTool.name },
    allowedHost: { id: allowedHost.id, pattern: allowedHost.pattern },
  };
}

/**
 * Workspaces A and B with distinct users. The first account to sign up becomes
 * the platform operator, so an operator is created first and neither tenant's
 * users are operators.
 */
export async function seedTwoWorkspaces(): Promise<{ a: SeededTenant; b: SeededTenant }> {
  const operator = await signUp({ email: 'operator@platform.test', name: 'Operator', password: PASSWORD });
  return { a: await seedTenant('alpha', operator.id), b: await seedTenant('bravo', operator.id) };
}
