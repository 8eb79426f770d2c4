// The gateway against real local model servers over HTTP through the openai SDK
// and a real database: metering, fallback (429 with Retry-After, 500, timeout),
// no fallback on 400, streaming, egress refusals, vault keys and the ledger's grants.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { InvalidInput, PolicyViolation, UpstreamFailure } from '../domain-errors';
import { startLocalModelServer, type LocalModelServer } from './local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { recordingEgress } from '../testing/recording-egress';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import type { Actor } from '../tenancy/members';
import { setPrivateEgress } from './egress-grants';
import { createGateway, systemClock, type Gateway } from './gateway';
import { forgetLlmConfig } from './llm-config';
import { costOf } from './pricing';
import { addProvider, deleteProvider, type ProviderInput } from './providers';
import { setRoute } from './routing';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let open: LocalModelServer;
let keyed: LocalModelServer;
let gateway: Gateway;
let ownerA: Actor;
let operatorId: string;

const question = [
  { role: 'system' as const, content: 'Refunds are paid back within 5 business days.\nShipping is free above 50 EUR.' },
  { role: 'user' as const, content: 'How long do refunds take?' },
];

async function usageRows(workspaceId: string) {
  const { rows } = await db.owner.query(
    `SELECT provider, model, status, error_kind, input_tokens, output_tokens, cost_usd::float8 AS cost, price_known, run_id, step_index, attempt
     FROM usage_events WHERE workspace_id = $1 ORDER BY created_at, id`,
    [workspaceId],
  );
  return rows;
}

async function provider(input: Partial<ProviderInput> & { name: string }, server = keyed) {
  return addProvider(
    ownerA,
    {
      kind: 'vllm',
      baseUrl: server.url,
      apiKeySecretId: server === keyed ? a.secret.id : null,
      models: [],
      enabled: true,
      priority: 100,
      timeoutMs: 1000,
      ...input,
    },
    nodeEgressAdapters,
  );
}

async function route(taskType: 'chat' | 'embedding', chain: { providerId: string; model: string }[]) {
  await withWorkspace(a.workspace.id, (tx) => setRoute(tx, ownerA, taskType, chain));
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  ownerA = { userId: a.owner.id, workspaceId: a.workspace.id, role: 'owner' };
  operatorId = (await db.owner.query(`SELECT id FROM users WHERE is_operator LIMIT 1`)).rows[0].id;
  // The seeded providers point at made-up hosts: start each workspace from the built-in model only.
  for (const t of [a, b]) {
    const actor = { userId: t.owner.id, workspaceId: t.workspace.id, role: 'owner' as const };
    await withWorkspace(t.workspace.id, (tx) => deleteProvider(tx, actor, t.provider.id));
    await db.owner.query(`DELETE FROM usage_events WHERE workspace_id = $1`, [t.workspace.id]);
  }
  open = await startLocalModelServer({ port: 0 });
  keyed = await startLocalModelServer({ port: 0, apiKey: a.secretValue });
  gateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: open.url, timeoutMs: 5000 }) });
  // The test's model servers listen on loopback: the operator allows private egress for A.
  await withWorkspace(a.workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: a.workspace.id, allowed: true, operatorUserId: operatorId }));
});
afterAll(async () => {
  await open?.stop();
  await keyed?.stop();
  await db?.stop();
});

describe('metering', () => {
  it('meters a call on the built-in local model once, with the tokens the model reported and the price table cost', async () => {
    const direct = await new OpenAI({ baseURL: open.url, apiKey: 'x', maxRetries: 0 }).chat.completions.create({ model: 'enclave-local-chat', messages: question });
    const result = await gateway.chatCompletion({ workspaceId: b.workspace.id, messages: question });
    expect(result.provider).toBe('local');
    expect(result.model).toBe('enclave-local-chat');
    expect(result.message.content).toBe(direct.choices[0]!.message.content);
    expect(result.usage).toEqual({ inputTokens: direct.usage!.prompt_tokens, outputTokens: direct.usage!.completion_tokens });
    const expected = costOf('enclave-local-chat', direct.usage!.prompt_tokens, direct.usage!.completion_tokens);
    expect(expected.costUsd).toBeGreaterThan(0);
    expect(result.costUsd).toBe(expected.costUsd);
    const rows = await usageRows(b.workspace.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'local', model: 'enclave-local-chat', status: 'ok', input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens, price_known: true });
    expect(rows[0].cost).toBeCloseTo(expected.costUsd, 10);
  });

  it('records a repeated run step once (idempotency key run, step, attempt)', async () => {
    // The ledger's keys point at B's own seeded run and agent (composite foreign keys).
    const runId = b.run.id;
    const step = { workspaceId: b.workspace.id, runId, agentId: b.agent.id, stepIndex: 2, attempt: 1, messages: question };
    const first = await gateway.chatCompletion(step);
    const again = await gateway.chatCompletion(step);
    expect([first.metered, again.metered]).toEqual([true, false]);
    expect((await usageRows(b.workspace.id)).filter((r) => r.run_id === runId)).toHaveLength(1);
  });

  it('embeds through the embedding route and meters input tokens', async () => {
    const result = await gateway.embed({ workspaceId: b.workspace.id, texts: ['refund policy', 'shipping costs'] });
    expect(result.embeddings).toHaveLength(2);
    expect(result.model).toBe('enclave-local-embed');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    const rows = await usageRows(b.workspace.id);
    expect(rows.at(-1)).toMatchObject({ model: 'enclave-local-embed', status: 'ok', input_tokens: result.usage.inputTokens });
  });

  it('flags a model missing from the price table and charges it nothing', () => {
    expect(costOf('some-new-model', 1000, 1000)).toEqual({ costUsd: 0, priceKnown: false });
    expect(costOf('gpt-4o-2024-08-06', 1_000_000, 0)).toEqual({ costUsd: 2.5, priceKnown: true });
  });
});

describe('fallback', () => {
  it('falls back on 429, then keeps away from the rate-limited model until its Retry-After has passed', async () => {
    const limited = await provider({ name: 'limited', models: ['enclave-local-fail-429'] });
    const backup = await provider({ name: 'backup', models: ['enclave-local-chat'] });
    await route('chat', [
      { providerId: limited.id, model: 'enclave-local-fail-429' },
      { providerId: backup.id, model: 'enclave-local-chat' },
    ]);
    const first = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question });
    expect(first).toMatchObject({ provider: 'backup', status: 'fallback', attempts: 2 });
    const second = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question });
    expect(second).toMatchObject({ provider: 'backup', status: 'ok', attempts: 1 });
    const rows = await usageRows(a.workspace.id);
    expect(rows.slice(-2).map((r) => r.status)).toEqual(['fallback', 'ok']);
  });

  it('waits out Retry-After before trying the only candidate again, but never past the deadline', async () => {
    const only = await provider({ name: 'only-limited', models: ['enclave-local-fail-429'] });
    await route('chat', [{ providerId: only.id, model: 'enclave-local-fail-429' }]);
    let started = Date.now();
    await expect(gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question, timeoutMs: 500 })).rejects.toBeInstanceOf(UpstreamFailure);
    // The hook answers Retry-After: 1; a call with a 500 ms deadline gives up instead of waiting that second out.
    expect(Date.now() - started).toBeLessThan(950);
    forgetLlmConfig(a.workspace.id);
    const again = await provider({ name: 'limited-again', models: ['enclave-local-fail-429'] });
    await route('chat', [{ providerId: again.id, model: 'enclave-local-fail-429' }]);
    started = Date.now();
    const failure = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question, timeoutMs: 5000 }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    // Every provider listing the model was tried (replicas), then the first again after its wait.
    expect((failure as Error).message).toMatch(/attempts failed.*\(429\)/);
    // The hook answers Retry-After: 1; the second attempt came after it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await usageRows(a.workspace.id)).at(-1)).toMatchObject({ status: 'error', error_kind: 'rate_limited', model: 'enclave-local-fail-429' });
  });

  it('falls back on a 500 and on a timeout (a provider that hangs)', async () => {
    const broken = await provider({ name: 'broken', models: ['enclave-local-fail-500'] });
    const hanging = await provider({ name: 'hanging', models: ['enclave-local-hang'], timeoutMs: 1000 });
    const healthy = await provider({ name: 'healthy', models: ['enclave-local-chat'] });
    await route('chat', [
      { providerId: broken.id, model: 'enclave-local-fail-500' },
      { providerId: hanging.id, model: 'enclave-local-hang' },
      { providerId: healthy.id, model: 'enclave-local-chat' },
    ]);
    const started = Date.now();
    const result = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question });
    expect(result).toMatchObject({ provider: 'healthy', status: 'fallback', attempts: 3 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.latencyMs).toBeGreaterThanOrEqual(1000);
  });

  it('does not fall back on a 400: the request itself is wrong', async () => {
    const wrong = await provider({ name: 'wrong-model', models: ['enclave-local-embed'] });
    const spare = await provider({ name: 'spare', models: ['enclave-local-chat'] });
    await route('chat', [
      { providerId: wrong.id, model: 'enclave-local-embed' },
      { providerId: spare.id, model: 'enclave-local-chat' },
    ]);
    const failure = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(InvalidInput);
    expect((failure as Error).message).toMatch(/wrong-model rejected the request \(400\)/);
    expect((await usageRows(a.workspace.id)).at(-1)).toMatchObject({ status: 'error', error_kind: 'bad_request', provider: 'wrong-model' });
  });

  it('lets a per-call override pick the provider and model', async () => {
    const healthy = await provider({ name: 'override-target', models: ['enclave-local-utility'] });
    const result = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question, override: { providerId: healthy.id } });
    expect(result).toMatchObject({ provider: 'override-target', model: 'enclave-local-utility', status: 'ok' });
    const local = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question, override: { providerId: 'local' } });
    expect(local).toMatchObject({ provider: 'local', model: 'enclave-local-chat' });
  });
});

describe('streaming', () => {
  it('streams content deltas that reassemble into the answer', async () => {
    const plain = await gateway.chatCompletion({ workspaceId: b.workspace.id, messages: question });
    const deltas: string[] = [];
    const streamed = await gateway.chatCompletion({ workspaceId: b.workspace.id, messages: question, onDelta: (d) => d.content && deltas.push(d.content) });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(streamed.message.content);
    expect(streamed.message.content).toBe(plain.message.content);
    expect(streamed.usage).toEqual(plain.usage);
    expect((await usageRows(b.workspace.id)).at(-1)).toMatchObject({ status: 'ok', output_tokens: plain.usage.outputTokens });
  });

  it('streams tool-call deltas that reassemble into the tool call', async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { order_id: { type: 'integer' } }, required: ['order_id'] } } },
    ];
    const messages = [{ role: 'user' as const, content: 'Use lookup_order for order 4711 please' }];
    const plain = await gateway.chatCompletion({ workspaceId: b.workspace.id, messages, tools });
    const parts: string[] = [];
    const streamed = await gateway.chatCompletion({
      workspaceId: b.workspace.id,
      messages,
      tools,
      onDelta: (d) => d.toolCalls?.forEach((t) => t.arguments && parts.push(t.arguments)),
    });
    expect(plain.toolCalls).toHaveLength(1);
    expect(streamed.toolCalls).toEqual([{ ...plain.toolCalls[0]!, id: streamed.toolCalls[0]!.id }]);
    expect(parts.join('')).toBe(plain.toolCalls[0]!.arguments);
    expect(JSON.parse(streamed.toolCalls[0]!.arguments)).toEqual({ order_id: 4711 });
  });
});

describe('egress', () => {
  const bActor = () => ({ userId: b.owner.id, workspaceId: b.workspace.id, role: 'owner' as const });
  const input = (baseUrl: string): ProviderInput => ({ name: 'internal', kind: 'vllm', baseUrl, apiKeySecretId: null, models: ['m'], enabled: true, priority: 1, timeoutMs: 5000 });

  it('refuses to save a base URL on a private address, by literal or by DNS, without dialling', async () => {
    const egress = recordingEgress({ 'llm.internal.example': ['10.0.0.8'], 'metadata.example': ['169.254.169.254'] });
    await expect(addProvider(bActor(), input('http://10.1.2.3:8000/v1'), egress.adapters)).rejects.toBeInstanceOf(PolicyViolation);
    await expect(addProvider(bActor(), input('http://llm.internal.example/v1'), egress.adapters)).rejects.toBeInstanceOf(PolicyViolation);
    await expect(addProvider(bActor(), input('http://[::1]:8000/v1'), egress.adapters)).rejects.toBeInstanceOf(PolicyViolation);
    await expect(addProvider(bActor(), input('http://2130706433/v1'), egress.adapters)).rejects.toBeInstanceOf(PolicyViolation);
    await expect(addProvider(bActor(), input('not a url'), egress.adapters)).rejects.toBeInstanceOf(InvalidInput);
    expect(egress.dialled).toEqual([]);
    expect(await db.owner.query(`SELECT 1 FROM llm_providers WHERE workspace_id = $1`, [b.workspace.id]).then((r) => r.rowCount)).toBe(0);
  });

  it('refuses a private address at call time too, once the operator withdraws the grant', async () => {
    const egress = recordingEgress({ 'vllm.cluster.example': ['10.0.0.9'] });
    const recorded = createGateway({ clock: systemClock, egressAdapters: egress.adapters, localModel: () => ({ baseUrl: open.url, timeoutMs: 5000 }) });
    await withWorkspace(b.workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: b.workspace.id, allowed: true, operatorUserId: operatorId }));
    const saved = await addProvider(bActor(), input('http://vllm.cluster.example/v1'), egress.adapters);
    expect(saved.baseUrl).toBe('http://vllm.cluster.example/v1');
    await withWorkspace(b.workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: b.workspace.id, allowed: false, operatorUserId: operatorId }));
    forgetLlmConfig(b.workspace.id);
    const failure = await recorded.chatCompletion({ workspaceId: b.workspace.id, messages: question, override: { providerId: saved.id } }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(PolicyViolation);
    expect(egress.dialled).toEqual([]);
    expect((await usageRows(b.workspace.id)).at(-1)).toMatchObject({ status: 'error', error_kind: 'egress_refused', provider: 'internal' });
    const audit = await db.owner.query(`SELECT action FROM audit_events WHERE workspace_id = $1 AND action LIKE 'egress.%' ORDER BY created_at`, [b.workspace.id]);
    expect(audit.rows.map((r) => r.action).slice(-2)).toEqual(['egress.private_addresses_allowed', 'egress.private_addresses_refused']);
  });
});

describe('credentials and the ledger', () => {
  it('sends the key from the vault (decrypt audited) and never writes it to the ledger or an error', async () => {
    const vaulted = await provider({ name: 'vaulted', models: ['enclave-local-chat'] });
    const before = await db.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'secret.decrypted'`, [a.workspace.id]);
    const result = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question, override: { providerId: vaulted.id } });
    expect(result.provider).toBe('vaulted');
    const after = await db.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE workspace_id = $1 AND action = 'secret.decrypted'`, [a.workspace.id]);
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);

    // The same server refuses a provider without the key: 401, no fallback, nothing leaked.
    const keyless = await provider({ name: 'keyless', models: ['enclave-local-chat'], apiKeySecretId: null });
    const failure = await gateway.chatCompletion({ workspaceId: a.workspace.id, messages: question, override: { providerId: keyless.id } }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(InvalidInput);
    expect((failure as Error).message).toMatch(/refused the API key \(401\)/);
    const ledger = JSON.stringify((await db.owner.query(`SELECT * FROM usage_events`)).rows);
    expect(ledger).not.toContain(a.secretValue);
    expect(String(failure)).not.toContain(a.secretValue);
  });

  it('refuses UPDATE and DELETE on the ledger to the app role', async () => {
    await expect(withWorkspace(a.workspace.id, (tx) => tx.$executeRaw`UPDATE usage_events SET cost_usd = 0`)).rejects.toThrow(/permission denied/);
    await expect(withWorkspace(a.workspace.id, (tx) => tx.$executeRaw`DELETE FROM usage_events`)).rejects.toThrow(/permission denied/);
    const grants = await db.owner.query(
      `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'enclave_app' AND table_name = 'usage_events' ORDER BY 1`,
    );
    expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
  });

  it('meters through a function the app role cannot call, leaving the pooled connection without a tenant', async () => {
    await expect(
      withWorkspace(a.workspace.id, (tx) => tx.$queryRaw`SELECT record_usage_event(${b.workspace.id}::uuid, null, null, null, null, null, 'x', 'x', 'chat', 1, 1, 0, true, 1, 'ok', null)`),
    ).rejects.toThrow(/permission denied/);
    // The writer's own connection: after a metered call nothing of the tenant remains on it.
    const client = await db.owner.connect();
    try {
      await client.query(`SELECT record_usage_event($1, null, null, null, null, null, 'probe', 'probe', 'chat', 1, 1, 0, true, 1, 'ok', null)`, [a.workspace.id]);
      const after = await client.query(`SELECT current_user AS role, coalesce(current_setting('app.workspace_id', true), '') AS workspace`);
      expect(after.rows[0].workspace).toBe('');
      expect(after.rows[0].role).not.toBe('enclave_app');
    } finally {
      client.release();
    }
    await db.owner.query(`SELECT 1`);
  });

  it("never shows one workspace another's providers or usage", async () => {
    const seenByB = await withWorkspace(b.workspace.id, async (tx) => ({
      providers: await tx.llmProvider.findMany({ select: { workspaceId: true } }),
      usage: await tx.usageEvent.findMany({ select: { workspaceId: true } }),
    }));
    expect(seenByB.usage.length).toBeGreaterThan(0);
    expect([...seenByB.providers, ...seenByB.usage].every((r) => r.workspaceId === b.workspace.id)).toBe(true);
    const seenByA = await withWorkspace(a.workspace.id, (tx) => tx.usageEvent.findMany({ select: { workspaceId: true } }));
    expect(seenByA.length).toBeGreaterThan(0);
    expect(seenByA.every((r) => r.workspaceId === a.workspace.id)).toBe(true);
  });
});
