// Durable runs against a real database and local model servers over HTTP: a run
// with a tool call end to end, idempotent creation, cancel and timeout mid-call,
// a worker process killed mid-run and finished by another worker with one step
// row and one usage row per step, and runs invisible across workspaces.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
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
import { executeRun, type RunLoopDeps } from './run-loop';
import { cancelRun, runById, runsOfWorkspace, startRun } from './runs';
import { createQuickJsSandbox } from './tools/javascript-sandbox';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;
let fast: LocalModelServer;
let slow: LocalModelServer;
let fastGateway: Gateway;
let slowGateway: Gateway;
const sandbox = createQuickJsSandbox();
let calculator: string;
let quickTimeout: string;
const children: ChildProcess[] = [];

const SLOW_TTFT_MS = 2500;
const TOOL_PROMPT = 'use run_javascript with code 1+2';

function deps(gateway: Gateway, workerId: string, leaseMs = 600): RunLoopDeps {
  return { gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId, leaseMs };
}

async function agent(actor: Actor, name: string, overrides: Partial<typeof NEW_AGENT_DEFAULTS> = {}) {
  const created = await withWorkspace(actor.workspaceId, (tx) =>
    createAgent(tx, actor, { ...NEW_AGENT_DEFAULTS, providerId: null, name, description: '', changeNote: '', tools: ['run_javascript'], ...overrides }),
  );
  return created.id;
}

async function usageOf(runId: string) {
  const { rows } = await db.owner.query<{ step_index: number; status: string }>(
    `SELECT step_index, status FROM usage_events WHERE run_id = $1 ORDER BY step_index`,
    [runId],
  );
  return rows;
}

async function stepRows(runId: string) {
  const { rows } = await db.owner.query<{ step_index: number; kind: string }>(
    `SELECT step_index, kind FROM run_steps WHERE run_id = $1 ORDER BY step_index`,
    [runId],
  );
  return rows;
}

/** Claims the next run for this worker and executes it to the end. */
async function workOne(gateway: Gateway, workerId: string, leaseMs = 600) {
  const claimed = await claimNextRun(workerId, leaseMs);
  expect(claimed).not.toBeNull();
  await executeRun(deps(gateway, workerId, leaseMs), claimed!);
  return claimed!;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA, ownerB } = await seedTenantsOnLocalModel());
  fast = await startLocalModelServer({ port: 0 });
  slow = await startLocalModelServer({ port: 0, latency: { ttftMs: SLOW_TTFT_MS } });
  fastGateway = localModelGateway(fast.url);
  slowGateway = localModelGateway(slow.url);
  calculator = await agent(ownerA, 'Calculator');
  quickTimeout = await agent(ownerA, 'Impatient', { maxRunSeconds: 1 });
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sandbox.close();
  await fast?.stop();
  await slow?.stop();
  await db?.stop();
});

describe('a run', () => {
  it('calls the model, runs the tool it asked for, and answers from the result', async () => {
    const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: calculator, input: TOOL_PROMPT }));
    expect(run.status).toBe('queued');
    await workOne(fastGateway, 'worker-e2e');

    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s) => [s.stepIndex, s.kind, s.status])).toEqual([
      [0, 'model', 'ok'],
      [1, 'tool', 'ok'],
      [2, 'model', 'ok'],
    ]);
    const [call, tool, answer] = done.steps;
    expect(call!.toolCalls).toEqual([expect.objectContaining({ name: 'run_javascript' })]);
    expect(tool!.toolName).toBe('run_javascript');
    expect(tool!.toolArgs).toEqual({ code: '1+2' });
    expect(JSON.stringify(tool!.toolResult)).toContain('3');
    expect(answer!.content).toContain('run_javascript');
    expect(done.output).toBe(answer!.content);
    expect(call!.inputTokens).toBeGreaterThan(0);
    expect(done.totals.inputTokens).toBe(call!.inputTokens + answer!.inputTokens);
    // One usage row per model step, keyed to the run and step.
    expect(await usageOf(run.id)).toEqual([
      { step_index: 0, status: 'ok' },
      { step_index: 2, status: 'ok' },
    ]);
  });

  it('finishes a run whose tool returns a NUL character, storing it as U+FFFD', async () => {
    const run = await withWorkspace(a.workspace.id, (tx) =>
      startRun(tx, ownerA, { agentId: calculator, input: 'use run_javascript with code "String.fromCharCode(0).padStart(2).padEnd(3)"' }),
    );
    await workOne(fastGateway, 'worker-nul');
    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    expect(done.status).toBe('succeeded');
    const tool = done.steps.find((s) => s.kind === 'tool');
    expect(JSON.stringify(tool!.toolResult)).toContain(' \uFFFD ');
    expect(JSON.stringify(done)).not.toContain('\\u0000');
  });

  it('gives the same run for the same idempotency key', async () => {
    const first = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: calculator, input: 'hello', idempotencyKey: 'order-42' }));
    const again = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: calculator, input: 'hello', idempotencyKey: 'order-42' }));
    expect(again.id).toBe(first.id);
    const { rows } = await db.owner.query(`SELECT count(*)::int AS n FROM runs WHERE idempotency_key = 'order-42'`);
    expect(rows[0].n).toBe(1);
    // The key is per workspace: B may use it for its own run.
    const inB = await withWorkspace(b.workspace.id, (tx) => startRun(tx, ownerB, { agentId: b.agent.id, input: 'hello', idempotencyKey: 'order-42' }));
    expect(inB.id).not.toBe(first.id);
    await withWorkspace(a.workspace.id, (tx) => cancelRun(tx, ownerA, first.id));
    await withWorkspace(b.workspace.id, (tx) => cancelRun(tx, ownerB, inB.id));
    expect((await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, first.id))).status).toBe('cancelled');
  });

  it('is cancelled in the middle of a slow model call', async () => {
    const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: calculator, input: 'What do you know?' }));
    const claimed = await claimNextRun('worker-cancel', 600);
    expect(claimed?.id).toBe(run.id);
    const started = Date.now();
    const executing = executeRun(deps(slowGateway, 'worker-cancel'), claimed!);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await withWorkspace(a.workspace.id, (tx) => cancelRun(tx, ownerA, run.id));
    await executing;
    expect(Date.now() - started).toBeLessThan(SLOW_TTFT_MS);
    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    expect(done.status).toBe('cancelled');
    expect(done.steps).toEqual([]);
  });

  it('times out at the version’s max run duration, mid-call', async () => {
    const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: quickTimeout, input: 'What do you know?' }));
    const started = Date.now();
    const claimed = await workOne(slowGateway, 'worker-timeout');
    expect(claimed.id).toBe(run.id);
    expect(Date.now() - started).toBeLessThan(SLOW_TTFT_MS);
    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    expect(done.status).toBe('timed_out');
    expect(done.error).toContain('1 s');
  });

  it('resumes in another worker after its worker process is killed, with one step row and one usage row per step', async () => {
    const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: calculator, input: TOOL_PROMPT }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: process.cwd(),
      // Only what the worker needs: the test database and a slow model server.
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        LOCAL_MODEL_HOST: '127.0.0.1',
        LOCAL_MODEL_PORT: String(slow.port),
        RUN_LEASE_MS: '1000',
        RUN_POLL_MS: '50',
        RUN_WORKER_CONCURRENCY: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== null) stderr += `\n(worker exited with ${code})`;
    });
    // Killed once the first step is written: it is then in the tool or the second model call.
    await until('the worker process to write a step', async () => {
      if (child.exitCode !== null) throw new Error(`the worker process died: ${stderr}`);
      return (await stepRows(run.id)).length >= 1;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; worker output: ${stderr}`);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const stranded = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    expect(stranded.status).toBe('running');

    // Nobody else may take it while the dead worker's lease lasts; then another worker does.
    const claimed = await until('the lease to expire', () => claimNextRun('worker-rescue', 600), 10_000);
    expect(claimed.id).toBe(run.id);
    expect(claimed.attemptCount).toBe(2);
    await executeRun(deps(slowGateway, 'worker-rescue'), claimed);

    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    expect(done.status).toBe('succeeded');
    expect(await stepRows(run.id)).toEqual([
      { step_index: 0, kind: 'model' },
      { step_index: 1, kind: 'tool' },
      { step_index: 2, kind: 'model' },
    ]);
    expect(await usageOf(run.id)).toEqual([
      { step_index: 0, status: 'ok' },
      { step_index: 2, status: 'ok' },
    ]);
    // And one trace span per step plus the run's, whichever worker wrote them.
    const { rows: spans } = await db.owner.query<{ kind: string; step_index: number | null }>(
      'SELECT kind, step_index FROM trace_spans WHERE run_id = $1 ORDER BY step_index NULLS FIRST',
      [run.id],
    );
    expect(spans).toEqual([
      { kind: 'run', step_index: null },
      { kind: 'model', step_index: 0 },
      { kind: 'tool', step_index: 1 },
      { kind: 'model', step_index: 2 },
    ]);
  }, 90_000);
});

describe('runs across workspaces', () => {
  it('keeps runs and steps of one workspace out of the other', async () => {
    const inA = await withWorkspace(a.workspace.id, (tx) => runsOfWorkspace(tx, a.workspace.id));
    expect(inA.length).toBeGreaterThan(0);
    const aRun = inA[0]!;
    await expect(withWorkspace(b.workspace.id, (tx) => runById(tx, b.workspace.id, aRun.id))).rejects.toThrow('Run not found');
    // Even asking for A's id under B's context finds nothing.
    await expect(withWorkspace(b.workspace.id, (tx) => runById(tx, a.workspace.id, aRun.id))).rejects.toThrow('Run not found');
    await expect(withWorkspace(b.workspace.id, (tx) => cancelRun(tx, ownerB, aRun.id))).rejects.toThrow('Run not found');
    const inB = await withWorkspace(b.workspace.id, (tx) => runsOfWorkspace(tx, b.workspace.id));
    expect(inB.every((r) => !inA.some((x) => x.id === r.id))).toBe(true);
    // B's context sees only its own seeded step, none of A's many.
    const visible = await withWorkspace(b.workspace.id, (tx) => tx.runStep.findMany({ select: { workspaceId: true, runId: true } }));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((s) => s.workspaceId === b.workspace.id && !inA.some((r) => r.id === s.runId))).toBe(true);
    const aSteps = await db.owner.query(`SELECT count(*)::int AS n FROM run_steps WHERE workspace_id = $1`, [a.workspace.id]);
    expect(aSteps.rows[0].n).toBeGreaterThan(3);
    // B cannot start a run of A's agent.
    await expect(withWorkspace(b.workspace.id, (tx) => startRun(tx, ownerB, { agentId: calculator, input: 'hi' }))).rejects.toThrow(/not found/i);
  });
});
