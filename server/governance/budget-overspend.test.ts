// Overspend under concurrency, with real workers over HTTP to the local model:
// 50 runs against a hard budget sized for 10 calls end succeeded or
// budget_exceeded (naming the budget), settled spend stays within the limit and
// equals the ledger, and no reservation is left — then the same with a worker
// process SIGKILLed while it holds reservations, whose runs the other workers
// recover. Workspace B's budget never sees A's spend.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../agents/agents';
import { NEW_AGENT_DEFAULTS } from '../agents/new-agent-defaults';
import { startRunWorker, type RunWorker } from '../agents/run-worker';
import { startRun } from '../agents/runs';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import { withWorkspace } from '../db/with-workspace';
import { estimateCallCost } from '../llm/call-cost-estimate';
import { createGateway, systemClock, type Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { deleteProvider } from '../llm/providers';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { createBudget, deleteBudget } from './budgets';

const RUNS = 50;
const SIZED_FOR = 10;
/** Every call's output cap: the worst case the reservation counts on. */
const MAX_OUTPUT_TOKENS = 16;
const INPUT = 'Say hello to the team';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let model: LocalModelServer;
let slowModel: LocalModelServer;
let gateway: Gateway;
const sandbox = createQuickJsSandbox();
const children: ChildProcess[] = [];
const workers: RunWorker[] = [];
/** Worst-case cost of each chat call the gateway was asked for, as its reservation computes it. */
const worstCases: number[] = [];

function actorOf(t: SeededTenant): Actor {
  return { userId: t.owner.id, workspaceId: t.workspace.id, role: 'owner' };
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  // Fifty runs in flight at once and a hundred started within the minute: lift the plan's caps, as an operator would.
  await db.owner.query('UPDATE workspace_limit_overrides SET concurrent_runs = 100, runs_per_minute = 1000');
  for (const t of [a, b]) {
    // The seeded providers point at made-up hosts, and the seeded soft budgets are not this test's.
    await withWorkspace(t.workspace.id, async (tx) => {
      await deleteProvider(tx, actorOf(t), t.provider.id);
      await deleteBudget(tx, actorOf(t), t.budget.id);
    });
  }
  model = await startLocalModelServer({ port: 0, latency: { ttftMs: 250 } });
  slowModel = await startLocalModelServer({ port: 0, latency: { ttftMs: 3000 } });
  const real = createGateway({
    clock: systemClock,
    egressAdapters: nodeEgressAdapters,
    localModel: () => ({ baseUrl: model.url, timeoutMs: 30_000 }),
    maxOutputTokens: MAX_OUTPUT_TOKENS,
  });
  // The real gateway; this only notes what each call's reservation is.
  gateway = {
    ...real,
    chatCompletion: (request) => {
      worstCases.push(
        estimateCallCost({ model: 'enclave-local-chat', messages: request.messages, tools: request.tools, maxOutputTokens: MAX_OUTPUT_TOKENS }).worstCaseUsd,
      );
      return real.chatCompletion(request);
    },
  };
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.stop()));
  await sandbox.close();
  await model?.stop();
  await slowModel?.stop();
  await db?.stop();
});

async function greeter(t: SeededTenant): Promise<string> {
  const agent = await withWorkspace(t.workspace.id, (tx) =>
    createAgent(tx, actorOf(t), { ...NEW_AGENT_DEFAULTS, providerId: null, name: 'Greeter', systemPrompt: 'You greet people.', variables: [], tools: [], changeNote: '' }),
  );
  return agent.id;
}

function startWorkers(count: number, concurrency: number) {
  for (let i = 0; i < count; i += 1) {
    workers.push(startRunWorker({ gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId: `budget-worker-${workers.length}`, concurrency, pollMs: 20, leaseMs: 5_000, streamFlushMs: 0 }));
  }
}

async function stopWorkers() {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
}

async function queueRuns(t: SeededTenant, agentId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    ids.push((await withWorkspace(t.workspace.id, (tx) => startRun(tx, actorOf(t), { agentId, input: INPUT }))).id);
  }
  return ids;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function statuses(ids: string[]) {
  const { rows } = await db.owner.query<{ status: string; error: string | null }>('SELECT status, error FROM runs WHERE id = ANY($1::uuid[])', [ids]);
  return rows;
}

async function allFinished(ids: string[]) {
  return (await statuses(ids)).every((r) => r.status !== 'queued' && r.status !== 'running');
}

/** The budget's month row, the workspace's ledger this month, and the reservations still held on the budget. */
async function books(t: SeededTenant, budgetId: string) {
  const { rows } = await db.owner.query<{ spent: number; reserved: number; ledger: number; held: number }>(
    `SELECT p.spent_usd::float8 AS spent, p.reserved_usd::float8 AS reserved,
            (SELECT coalesce(sum(cost_usd), 0)::float8 FROM usage_events u
             WHERE u.workspace_id = p.workspace_id AND u.created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS ledger,
            (SELECT count(*)::int FROM budget_reservations r WHERE r.workspace_id = p.workspace_id AND p.budget_id = ANY (r.budget_ids)) AS held
     FROM budget_periods p WHERE p.workspace_id = $1 AND p.budget_id = $2`,
    [t.workspace.id, budgetId],
  );
  return rows[0]!;
}

/** A probe run, no budget in the way, tells one call's worst case; the budget allows ten and a half of them. */
async function hardBudgetForTen(t: SeededTenant, agentId: string, name: string) {
  startWorkers(1, 1);
  const [probe] = await queueRuns(t, agentId, 1);
  await until('the probe run', () => allFinished([probe!]), 60_000);
  await stopWorkers();
  expect((await statuses([probe!]))[0]!.status).toBe('succeeded');
  const worstCase = worstCases.at(-1)!;
  expect(worstCase).toBeGreaterThan(0);
  const { rows } = await db.owner.query<{ spent: number }>(
    `SELECT coalesce(sum(cost_usd), 0)::float8 AS spent FROM usage_events
     WHERE workspace_id = $1 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [t.workspace.id],
  );
  const limit = rows[0]!.spent + (SIZED_FOR + 0.5) * worstCase;
  const budget = await withWorkspace(t.workspace.id, (tx) => createBudget(tx, actorOf(t), { name, agentId: null, monthlyLimitUsd: limit, enforcement: 'hard' }));
  return { budget, limit: budget.monthlyLimitUsd, worstCase };
}

function expectOutcomes(rows: { status: string; error: string | null }[], budgetName: string) {
  const succeeded = rows.filter((r) => r.status === 'succeeded');
  const refused = rows.filter((r) => r.status === 'budget_exceeded');
  expect(rows).toHaveLength(RUNS);
  expect(succeeded.length + refused.length, JSON.stringify(rows.filter((r) => r.status !== 'succeeded' && r.status !== 'budget_exceeded'))).toBe(RUNS);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) expect(r.error).toContain(`"${budgetName}"`);
  return { succeeded: succeeded.length, refused: refused.length };
}

describe('a hard budget under concurrency', () => {
  it(`lets ${RUNS} concurrent runs spend no more than a budget sized for ${SIZED_FOR}; the rest end budget_exceeded`, async () => {
    const agentId = await greeter(a);
    const { budget, limit } = await hardBudgetForTen(a, agentId, 'Alpha monthly');
    const bBefore = await withWorkspace(b.workspace.id, (tx) => tx.usageEvent.count({ where: { workspaceId: b.workspace.id } }));
    const ids = await queueRuns(a, agentId, RUNS);
    startWorkers(3, 8);
    await until('every run to finish', () => allFinished(ids));
    await stopWorkers();

    const outcome = expectOutcomes(await statuses(ids), 'Alpha monthly');
    // Ten fit while all were in flight; settling below the worst case may free room for a few more, never past the limit.
    expect(outcome.succeeded).toBeGreaterThanOrEqual(SIZED_FOR);
    const after = await books(a, budget.id);
    expect(after.spent).toBeLessThanOrEqual(limit);
    expect(after.spent).toBeCloseTo(after.ledger, 9);
    expect(after.reserved).toBe(0);
    expect(after.held).toBe(0);
    // A refused run never reached the model: one metered call per run that succeeded.
    const { rows } = await db.owner.query<{ status: string; usage: string }>(
      `SELECT r.status, u.status AS usage FROM usage_events u JOIN runs r ON r.id = u.run_id WHERE u.run_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.length, JSON.stringify(rows.filter((r) => r.status !== 'succeeded'))).toBe(outcome.succeeded);
    // B's ledger did not move.
    expect(await withWorkspace(b.workspace.id, (tx) => tx.usageEvent.count({ where: { workspaceId: b.workspace.id } }))).toBe(bBefore);
  }, 240_000);

  it('keeps to the limit when a worker process is killed holding reservations, and its runs’ recovery releases them', async () => {
    const agentId = await greeter(b);
    const { budget, limit } = await hardBudgetForTen(b, agentId, 'Bravo monthly');
    const ids = await queueRuns(b, agentId, RUNS);
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: process.cwd(),
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        LOCAL_MODEL_HOST: '127.0.0.1',
        LOCAL_MODEL_PORT: String(slowModel.port),
        MODEL_MAX_OUTPUT_TOKENS: String(MAX_OUTPUT_TOKENS),
        RUN_LEASE_MS: '1000',
        RUN_POLL_MS: '50',
        RUN_WORKER_CONCURRENCY: '10',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Killed while its calls wait on the slow model, holding their reservations.
    const heldAtKill = await until('the worker process to hold reservations', async () => {
      if (child.exitCode !== null) throw new Error(`the worker process died: ${output}`);
      const held = (await books(b, budget.id)).held;
      return held >= 5 ? held : null;
    }, 60_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const stranded = await books(b, budget.id);
    expect(stranded.reserved).toBeGreaterThan(0);
    expect(stranded.held).toBeGreaterThanOrEqual(heldAtKill);

    startWorkers(3, 8);
    await until('every run to finish', () => allFinished(ids));
    await stopWorkers();

    const outcome = expectOutcomes(await statuses(ids), 'Bravo monthly');
    expect(outcome.succeeded).toBeGreaterThan(0);
    const after = await books(b, budget.id);
    expect(after.spent).toBeLessThanOrEqual(limit);
    expect(after.spent).toBeCloseTo(after.ledger, 9);
    expect(after.reserved).toBe(0);
    expect(after.held).toBe(0);
    // Released by recovery, not by waiting out the dead calls' deadlines (two minutes and more away).
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 240_000);
});
