// Workspace policies enforced in real runs, against a real database and the local
// model behind a counting proxy: the model sees placeholders and the end user the
// values; nothing redacted is stored; a blocked type, a content rule, a model off
// the allow-list and a tool off the allow-list are refused before any request
// reaches the model (or the tool), and each refusal is a failed span in the trace.
// Workspace A's policy never changes what B's runs do.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { forgetPolicy } from '../governance/policy-cache';
import { policyDocument, type PolicyDocument } from '../governance/policy-document';
import { policyOfWorkspace, savePolicy } from '../governance/workspace-policies';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { createAgent } from './agents';
import { claimNextRun } from './claim-order';
import { NEW_AGENT_DEFAULTS } from './new-agent-defaults';
import { writeStep } from './run-lease';
import { executeRun } from './run-loop';
import { runById, startRun } from './runs';
import { createQuickJsSandbox } from './tools/javascript-sandbox';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;
let model: LocalModelServer;
let proxy: Server;
let gateway: Gateway;
const sandbox = createQuickJsSandbox();
/** Every request body that reached the local model. */
const received: { path: string; body: string }[] = [];

const EMAIL = 'jane.doe@example.com';
const SSN = '536-22-8451';

/** Forwards to the local model, keeping each request it passes on. */
async function countingProxy(target: LocalModelServer): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ path: req.url ?? '', body: body.toString('utf8') });
      const upstream = httpRequest({ host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const chatRequests = () => received.filter((r) => r.path.endsWith('/chat/completions'));

async function setPolicy(actor: Actor, document: unknown) {
  const current = await withWorkspace(actor.workspaceId, (tx) => policyOfWorkspace(tx, actor.workspaceId));
  await withWorkspace(actor.workspaceId, (tx) =>
    savePolicy(tx, actor, { document: policyDocument.parse(document) as PolicyDocument, baseVersion: current.version }),
  );
}

async function agent(actor: Actor, name: string, overrides: Partial<Omit<typeof NEW_AGENT_DEFAULTS, 'model'>> & { model?: string } = {}) {
  const created = await withWorkspace(actor.workspaceId, (tx) =>
    createAgent(tx, actor, { ...NEW_AGENT_DEFAULTS, providerId: null, name, description: '', changeNote: '', tools: [], model: 'enclave-local-chat', ...overrides }),
  );
  return created.id;
}

/** Starts a run and has one worker execute it to the end. */
async function run(actor: Actor, agentId: string, input: string) {
  const started = await withWorkspace(actor.workspaceId, (tx) => startRun(tx, actor, { agentId, input }));
  const claimed = await claimNextRun('policy-worker', 5_000);
  expect(claimed?.id).toBe(started.id);
  await executeRun({ gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId: 'policy-worker', leaseMs: 5_000, streamFlushMs: 0 }, claimed!);
  return withWorkspace(actor.workspaceId, (tx) => runById(tx, actor.workspaceId, started.id));
}

/** Everything stored about a run, as text: steps and spans (read as the owner, past RLS). */
async function storedText(runId: string): Promise<string> {
  const steps = await db.owner.query(`SELECT request, response, tool_args, tool_result, error FROM run_steps WHERE run_id = $1`, [runId]);
  const spans = await db.owner.query(`SELECT name, status_message, attributes FROM trace_spans WHERE run_id = $1`, [runId]);
  return JSON.stringify([steps.rows, spans.rows]);
}

async function errorSpans(runId: string) {
  const { rows } = await db.owner.query<{ kind: string; status_message: string | null }>(
    `SELECT kind, status_message FROM trace_spans WHERE run_id = $1 AND status = 'error' AND kind <> 'run' ORDER BY step_index`,
    [runId],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA, ownerB } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  proxy = await countingProxy(model);
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
  gateway = localModelGateway(proxyUrl);
}, 120_000);

afterAll(async () => {
  await sandbox.close();
  proxy?.close();
  await model?.stop();
  await db?.stop();
});

beforeEach(() => {
  received.length = 0;
  forgetPolicy(a.workspace.id);
  forgetPolicy(b.workspace.id);
});

describe('reversible redaction', () => {
  it('shows the model placeholders, gives the end user the values, and stores neither value', async () => {
    await setPolicy(ownerA, { pii: { actions: { email: 'redact', phone: 'redact' }, reversible: true } });
    const support = await agent(ownerA, 'Support desk', { systemPrompt: `The customer's email address is ${EMAIL}. Their phone is +1 415 555 0132.` });
    const done = await run(ownerA, support, `What is the customer's email address? Mine is ${EMAIL.toUpperCase()}.`);

    expect(done.status).toBe('succeeded');
    const sent = chatRequests().map((r) => r.body).join('\n');
    expect(sent).toContain('[EMAIL_1]');
    expect(sent).toContain('[PHONE_1]');
    expect(sent.toLowerCase()).not.toContain(EMAIL);
    expect(sent).not.toContain('555 0132');
    // The local model quotes the prompt line it was given: the user reads the real address
    // (as first written in the run: the input's upper-case spelling is the same address).
    expect(done.output).toContain(EMAIL.toUpperCase());
    expect(done.output).toContain('+1 415 555 0132');
    expect(done.output).not.toContain('[EMAIL_1]');

    const stored = (await storedText(done.id)).toLowerCase();
    expect(stored).toContain('[email_1]');
    expect(stored).not.toContain(EMAIL);
  });

  it('keeps the placeholders in the answer when redaction is one-way', async () => {
    await setPolicy(ownerA, { pii: { actions: { email: 'redact' }, reversible: false } });
    const support = await agent(ownerA, 'One-way desk', { systemPrompt: `The customer's email address is ${EMAIL}.` });
    const done = await run(ownerA, support, "What is the customer's email address?");
    expect(done.status).toBe('succeeded');
    expect(done.output).toContain('[EMAIL_1]');
    expect(done.output).not.toContain(EMAIL);
  });
});

describe('refusals before any model request', () => {
  it('fails a run whose input holds a blocked type, naming the type and not the value', async () => {
    await setPolicy(ownerA, { pii: { actions: { us_ssn: 'block' } } });
    const desk = await agent(ownerA, 'SSN desk');
    const done = await run(ownerA, desk, `My SSN is ${SSN}, can you store it?`);

    expect(done.status).toBe('failed');
    expect(done.error).toBe('The workspace policy blocks US social security numbers in the model input.');
    expect(chatRequests()).toHaveLength(0);
    expect(await errorSpans(done.id)).toEqual([{ kind: 'model', status_message: done.error }]);
    expect(await storedText(done.id)).not.toContain(SSN);
  });

  it('fails a run that breaks a content rule, naming the rule', async () => {
    await setPolicy(ownerA, { content: { rules: [{ name: 'Project codename', kind: 'term', value: 'Bluebird', appliesTo: 'input' }] } });
    const desk = await agent(ownerA, 'Codename desk');
    const done = await run(ownerA, desk, 'Tell me about the bluebird launch date');
    expect(done.status).toBe('failed');
    expect(done.error).toBe('The workspace policy\'s content rule "Project codename" blocks this model input.');
    expect(chatRequests()).toHaveLength(0);
  });

  it('refuses a model off the allow-list in the gateway, with the refusal in the trace', async () => {
    await setPolicy(ownerA, { allowLists: { models: ['enclave-local-chat'] } });
    const slow = await agent(ownerA, 'Slow thinker', { model: 'enclave-local-chat-slow' });
    const done = await run(ownerA, slow, 'Hello there');
    expect(done.status).toBe('failed');
    expect(done.error).toBe('The workspace policy does not allow the model "enclave-local-chat-slow".');
    expect(received).toHaveLength(0);
    expect(await errorSpans(done.id)).toEqual([{ kind: 'model', status_message: done.error }]);

    // A model on the list goes through.
    const allowed = await agent(ownerA, 'Quick thinker');
    expect((await run(ownerA, allowed, 'Hello there')).status).toBe('succeeded');
    expect(chatRequests()).toHaveLength(1);
  });

  it('refuses the built-in provider when only other providers are allowed', async () => {
    await setPolicy(ownerA, { allowLists: { providers: [] } });
    const desk = await agent(ownerA, 'Providerless');
    const done = await run(ownerA, desk, 'Hello');
    expect(done.error).toBe('The workspace policy does not allow the provider "local".');
    expect(received).toHaveLength(0);
  });
});

describe('tool allow-list', () => {
  it('does not offer a tool off the list, so it never runs', async () => {
    await setPolicy(ownerA, { allowLists: { tools: [] } });
    const calculator = await agent(ownerA, 'Calculator', { tools: ['run_javascript'] });
    const done = await run(ownerA, calculator, 'use run_javascript with code 1+2');
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s) => s.kind)).toEqual(['model']);
    const sent = JSON.parse(chatRequests()[0]!.body) as { tools?: unknown[] };
    expect(sent.tools ?? []).toEqual([]);
  });

  it('refuses a call to a tool taken off the list before the run resumed: the model gets an error result', async () => {
    await setPolicy(ownerA, { allowLists: { tools: null } });
    const calculator = await agent(ownerA, 'Resumed calculator', { tools: ['run_javascript'] });
    const started = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: calculator, input: 'compute 1+2' }));
    // A worker asked the model, wrote its tool call, then died (its lease runs out).
    const first = await claimNextRun('dying-worker', 300);
    expect(first?.id).toBe(started.id);
    const lease = { workspaceId: a.workspace.id, runId: started.id, workerId: 'dying-worker', leaseMs: 300 };
    const now = new Date();
    const toolCall = { id: 'call_1', name: 'run_javascript', arguments: JSON.stringify({ code: '1+2' }) };
    expect(
      await writeStep(
        lease,
        { stepIndex: 0, kind: 'model', status: 'ok', request: {}, response: { content: null, toolCalls: [toolCall], finishReason: 'tool_calls' }, provider: 'local', model: 'enclave-local-chat', startedAt: now, finishedAt: now },
        { model: 'enclave-local-chat', temperature: 0 },
      ),
    ).toBe(true);
    // Meanwhile the admin takes the tool off the list.
    await setPolicy(ownerA, { allowLists: { tools: ['http_request'] } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const rescue = await claimNextRun('rescue-worker', 5_000);
    expect(rescue?.id).toBe(started.id);
    await executeRun({ gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId: 'rescue-worker', leaseMs: 5_000, streamFlushMs: 0 }, rescue!);

    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, started.id));
    expect(done.status).toBe('succeeded');
    const toolStep = done.steps.find((s) => s.kind === 'tool')!;
    expect(toolStep.status).toBe('error');
    expect(toolStep.error).toBe('The workspace policy does not allow the tool "run_javascript".');
    expect(await errorSpans(done.id)).toEqual([{ kind: 'tool', status_message: toolStep.error }]);
    // The model read the refusal as the tool's result.
    expect(chatRequests().at(-1)!.body).toContain('does not allow the tool');
  });
});

describe('two workspaces', () => {
  it("applies A's policy to A's runs only", async () => {
    await setPolicy(ownerA, { pii: { actions: { us_ssn: 'block' } } });
    const inA = await agent(ownerA, 'A desk');
    const inB = await agent(ownerB, 'B desk');
    expect((await run(ownerA, inA, `SSN ${SSN}`)).status).toBe('failed');
    const bRun = await run(ownerB, inB, `SSN ${SSN}`);
    expect(bRun.status).toBe('succeeded');
    expect(chatRequests().map((r) => r.body).join('')).toContain(SSN);
  });
});
