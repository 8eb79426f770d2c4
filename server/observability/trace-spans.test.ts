// Trace spans against a real database and local model servers over HTTP: one span
// per step and one root span per run whatever its final state, each written once
// even when a step or the finish is written again, GenAI attributes without any
// content, and no span of one workspace visible from another — through SQL under
// withWorkspace and through the traces.forRun procedure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../agents/agents';
import { claimNextRun } from '../agents/claim-order';
import { NEW_AGENT_DEFAULTS } from '../agents/new-agent-defaults';
import { finishRun, writeStep, type LeaseHolder } from '../agents/run-lease';
import { executeRun, type RunLoopDeps } from '../agents/run-loop';
import { cancelRun, startRun } from '../agents/runs';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import { withWorkspace } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { runSpanIdOf, stepSpanIdOf, traceIdOfRun } from './trace-ids';
import { recordStepSpan, traceOfRun, type StepForSpan } from './trace-spans';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let fast: LocalModelServer;
let slow: LocalModelServer;
let fastGateway: Gateway;
let slowGateway: Gateway;
const sandbox = createQuickJsSandbox();
/** What the run asked the model for, as the run loop passes it to writeStep. */
const REQUEST = { model: 'enclave-local-chat', temperature: 0 };
let calculator: string;
let impatient: string;
let oneStep: string;

const TOOL_PROMPT = 'use run_javascript with code 1+2';
const SECRET_QUESTION = 'my private question about invoice 7731';

type SpanRow = {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  step_index: number | null;
  kind: string;
  name: string;
  status: string;
  status_message: string | null;
  attributes: Record<string, unknown>;
  started_at: Date;
  ended_at: Date;
};

function deps(gateway: Gateway, workerId: string, leaseMs = 600): RunLoopDeps {
  return { gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId, leaseMs };
}

async function agent(actor: Actor, name: string, overrides: Partial<typeof NEW_AGENT_DEFAULTS> = {}) {
  const created = await withWorkspace(actor.workspaceId, (tx) =>
    createAgent(tx, actor, { ...NEW_AGENT_DEFAULTS, providerId: null, name, description: '', changeNote: '', tools: ['run_javascript'], ...overrides }),
  );
  return created.id;
}

/** Every span of the run as the database holds it (owner connection, outside RLS). */
async function spanRows(runId: string): Promise<SpanRow[]> {
  const { rows } = await db.owner.query<SpanRow>(
    `SELECT trace_id, span_id, parent_span_id, step_index, kind, name, status, status_message, attributes, started_at, ended_at
     FROM trace_spans WHERE run_id = $1 ORDER BY step_index NULLS FIRST`,
    [runId],
  );
  return rows;
}

async function runOf(actor: Actor, agentId: string, input: string) {
  return withWorkspace(actor.workspaceId, (tx) => startRun(tx, actor, { agentId, input }));
}

async function workOne(gateway: Gateway, workerId: string, runId: string) {
  const claimed = await claimNextRun(workerId, 600);
  expect(claimed?.id).toBe(runId);
  await executeRun(deps(gateway, workerId), claimed!);
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA } = await seedTenantsOnLocalModel());
  fast = await startLocalModelServer({ port: 0 });
  slow = await startLocalModelServer({ port: 0, latency: { ttftMs: 2500 } });
  fastGateway = localModelGateway(fast.url);
  slowGateway = localModelGateway(slow.url);
  calculator = await agent(ownerA, 'Calculator', { temperature: 0.3 });
  impatient = await agent(ownerA, 'Impatient', { maxRunSeconds: 1 });
  oneStep = await agent(ownerA, 'One step', { maxSteps: 1 });
}, 120_000);

afterAll(async () => {
  await sandbox.close();
  await fast?.stop();
  await slow?.stop();
  await db?.stop();
});

describe('the trace of a run', () => {
  it('has a run span and one child span per model and tool call, with GenAI attributes and no content', async () => {
    const run = await runOf(ownerA, calculator, TOOL_PROMPT);
    await workOne(fastGateway, 'worker-trace', run.id);

    const spans = await spanRows(run.id);
    expect(spans.map((s) => [s.kind, s.step_index, s.name, s.status])).toEqual([
      ['run', null, 'invoke_agent Calculator', 'ok'],
      ['model', 0, 'chat enclave-local-chat', 'ok'],
      ['tool', 1, 'execute_tool run_javascript', 'ok'],
      ['model', 2, 'chat enclave-local-chat', 'ok'],
    ]);
    const [root, call, tool, answer] = spans as [SpanRow, SpanRow, SpanRow, SpanRow];
    expect(new Set(spans.map((s) => s.trace_id))).toEqual(new Set([traceIdOfRun(run.id)]));
    expect(root.span_id).toBe(runSpanIdOf(run.id));
    expect(root.parent_span_id).toBeNull();
    expect(spans.slice(1).map((s) => [s.span_id, s.parent_span_id])).toEqual([0, 1, 2].map((i) => [stepSpanIdOf(run.id, i), root.span_id]));
    // The run span covers its steps.
    for (const child of spans.slice(1)) {
      expect(child.started_at.getTime()).toBeGreaterThanOrEqual(root.started_at.getTime());
      expect(child.ended_at.getTime()).toBeLessThanOrEqual(root.ended_at.getTime());
    }

    const { rows: steps } = await db.owner.query<{ step_index: number; input_tokens: number; output_tokens: number; cost_usd: string }>(
      'SELECT step_index, input_tokens, output_tokens, cost_usd FROM run_steps WHERE run_id = $1 ORDER BY step_index',
      [run.id],
    );
    expect(call.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': expect.any(String),
      'gen_ai.request.model': 'enclave-local-chat',
      'gen_ai.response.model': 'enclave-local-chat',
      'gen_ai.request.temperature': 0.3,
      'gen_ai.usage.input_tokens': steps[0]!.input_tokens,
      'gen_ai.usage.output_tokens': steps[0]!.output_tokens,
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'enclave.workspace.id': a.workspace.id,
      'enclave.run.id': run.id,
      'enclave.step.index': 0,
      'enclave.cost_usd': Number(steps[0]!.cost_usd),
    });
    expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(answer.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(tool.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'run_javascript',
      'gen_ai.tool.call.id': expect.any(String),
      'enclave.workspace.id': a.workspace.id,
      'enclave.step.index': 1,
    });
    const totalIn = steps.reduce((sum, s) => sum + s.input_tokens, 0);
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.id': calculator,
      'gen_ai.agent.name': 'Calculator',
      'gen_ai.agent.version': '1',
      'gen_ai.usage.input_tokens': totalIn,
      'enclave.workspace.id': a.workspace.id,
      'enclave.run.status': 'succeeded',
    });
    // Content stays in run_steps: neither the code the model wrote nor the answer is in a span.
    const text = JSON.stringify(spans);
    expect(text).not.toContain('1+2');
    expect(text).not.toContain(TOOL_PROMPT);

    // The procedure shows the same spans, shaped for the waterfall.
    const trace = await createCaller(createContext(a.member)).traces.forRun({ workspaceId: a.workspace.id, runId: run.id });
    expect(trace.traceId).toBe(traceIdOfRun(run.id));
    expect(trace.spans.map((s) => [s.kind, s.stepIndex, s.parentSpanId === trace.spans[0]!.spanId])).toEqual([
      ['run', null, false],
      ['model', 0, true],
      ['tool', 1, true],
      ['model', 2, true],
    ]);
    expect(trace.spans[1]).toMatchObject({ inputTokens: steps[0]!.input_tokens, outputTokens: steps[0]!.output_tokens, model: 'enclave-local-chat' });
    expect(trace.spans[0]!.durationMs).toBeGreaterThanOrEqual(trace.spans[1]!.durationMs);
  });

  it('writes a step’s span once when the step is written again, and never for a worker that lost the lease', async () => {
    const run = await runOf(ownerA, calculator, 'hello there');
    const claimed = await claimNextRun('worker-again', 60_000);
    expect(claimed?.id).toBe(run.id);
    const lease: LeaseHolder = { workspaceId: a.workspace.id, runId: run.id, workerId: 'worker-again', leaseMs: 60_000 };
    const startedAt = new Date();
    const step = {
      stepIndex: 0,
      kind: 'model',
      status: 'ok',
      response: { content: 'hi', toolCalls: [], finishReason: 'stop' },
      provider: 'local',
      model: 'enclave-local-chat',
      inputTokens: 5,
      outputTokens: 2,
      costUsd: 0,
      latencyMs: 3,
      startedAt,
      finishedAt: new Date(startedAt.getTime() + 3),
    };
    expect(await writeStep(lease, step, REQUEST)).toBe(true);
    // The same step again (a call redone after a resume): still one step row and one span.
    expect(await writeStep(lease, { ...step, outputTokens: 99 }, REQUEST)).toBe(true);
    // A worker whose lease is gone writes nothing.
    expect(await writeStep({ ...lease, workerId: 'worker-stale' }, { ...step, stepIndex: 1 }, REQUEST)).toBe(false);
    // Recording the span directly once more inserts nothing either.
    const facts: StepForSpan = { stepIndex: 0, kind: 'model', status: 'ok', error: null, provider: 'local', model: 'x', inputTokens: 1, outputTokens: 1, costUsd: 0, latencyMs: 1, finishReason: 'stop', toolName: null, toolCallId: null, startedAt, finishedAt: startedAt };
    expect(await withWorkspace(a.workspace.id, (tx) => recordStepSpan(tx, a.workspace.id, run.id, facts, { model: 'x', temperature: 0 }))).toBeNull();

    expect(await finishRun(lease, { status: 'succeeded', output: 'hi' })).toBe(true);
    // A second finish (a stale worker, or the same one twice) neither moves the run nor writes a span.
    expect(await finishRun(lease, { status: 'failed', error: 'late' })).toBe(false);

    const spans = await spanRows(run.id);
    expect(spans.map((s) => [s.kind, s.step_index, s.status])).toEqual([
      ['run', null, 'ok'],
      ['model', 0, 'ok'],
    ]);
    expect(spans[1]!.attributes['gen_ai.usage.output_tokens']).toBe(2);
    expect(spans[0]!.attributes['enclave.run.status']).toBe('succeeded');
  });
});

describe('the run span of each final state', () => {
  it('is written, marked as an error, when a queued run is cancelled', async () => {
    const run = await runOf(ownerA, calculator, 'never started');
    const cancelled = await withWorkspace(a.workspace.id, (tx) => cancelRun(tx, ownerA, run.id));
    expect(cancelled.status).toBe('cancelled');
    const spans = await spanRows(run.id);
    expect(spans.map((s) => [s.kind, s.status, s.status_message])).toEqual([['run', 'error', 'Cancelled before it started.']]);
    expect(spans[0]!.attributes['enclave.run.status']).toBe('cancelled');
    // Cancelling again does not write another.
    await withWorkspace(a.workspace.id, (tx) => cancelRun(tx, ownerA, run.id));
    expect(await spanRows(run.id)).toHaveLength(1);
  });

  it('is written when a running run is cancelled mid-call', async () => {
    const run = await runOf(ownerA, calculator, 'What do you know?');
    const claimed = await claimNextRun('worker-cancel', 600);
    expect(claimed?.id).toBe(run.id);
    const executing = executeRun(deps(slowGateway, 'worker-cancel'), claimed!);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await withWorkspace(a.workspace.id, (tx) => cancelRun(tx, ownerA, run.id));
    await executing;
    const spans = await spanRows(run.id);
    expect(spans.map((s) => [s.kind, s.status, s.status_message, s.attributes['enclave.run.status']])).toEqual([['run', 'error', 'Cancelled.', 'cancelled']]);
  });

  it('is written when a run times out mid-call', async () => {
    const run = await runOf(ownerA, impatient, 'What do you know?');
    await workOne(slowGateway, 'worker-timeout', run.id);
    const spans = await spanRows(run.id);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ kind: 'run', status: 'error', name: 'invoke_agent Impatient' });
    expect(spans[0]!.status_message).toContain('1 s');
    expect(spans[0]!.attributes['enclave.run.status']).toBe('timed_out');
  });

  it('is written when a run fails, after the spans of the steps it took', async () => {
    const run = await runOf(ownerA, oneStep, TOOL_PROMPT);
    await workOne(fastGateway, 'worker-fail', run.id);
    const spans = await spanRows(run.id);
    expect(spans.map((s) => [s.kind, s.step_index, s.status])).toEqual([
      ['run', null, 'error'],
      ['model', 0, 'ok'],
      ['tool', 1, 'ok'],
    ]);
    expect(spans[0]!.status_message).toContain('1 model steps');
    expect(spans[0]!.attributes['enclave.run.status']).toBe('failed');
  });
});

describe('traces across workspaces', () => {
  it('never shows one workspace’s spans to another, through SQL or the procedure', async () => {
    const run = await runOf(ownerA, calculator, SECRET_QUESTION);
    await workOne(fastGateway, 'worker-cross', run.id);
    expect((await spanRows(run.id)).length).toBeGreaterThan(1);

    // Under B's tenant context, not even a query for A's ids finds a row.
    const visible = await withWorkspace(b.workspace.id, (tx) => tx.traceSpan.findMany({ select: { workspaceId: true, runId: true } }));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((s) => s.workspaceId === b.workspace.id)).toBe(true);
    expect(await withWorkspace(b.workspace.id, (tx) => tx.traceSpan.count({ where: { workspaceId: a.workspace.id } }))).toBe(0);
    expect(await withWorkspace(b.workspace.id, (tx) => tx.traceSpan.count({ where: { runId: run.id } }))).toBe(0);
    await expect(withWorkspace(b.workspace.id, (tx) => traceOfRun(tx, b.workspace.id, run.id))).rejects.toThrow('Run not found');
    await expect(withWorkspace(b.workspace.id, (tx) => traceOfRun(tx, a.workspace.id, run.id))).rejects.toThrow('Run not found');

    // Through the procedure: B's owner asking in B for A's run, and asking in A.
    const asB = createCaller(createContext(b.owner));
    await expect(asB.traces.forRun({ workspaceId: b.workspace.id, runId: run.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Run not found' });
    await expect(asB.traces.forRun({ workspaceId: a.workspace.id, runId: run.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // B's own seeded run has its trace.
    const own = await asB.traces.forRun({ workspaceId: b.workspace.id, runId: b.run.id });
    expect(own.spans.map((s) => s.kind)).toEqual(['run', 'model']);
    // A malformed id is a clean 400, not a 500.
    await expect(asB.traces.forRun({ workspaceId: b.workspace.id, runId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
