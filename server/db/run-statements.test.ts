// The one-statement run functions of migrations 0015 and 0016 keep the tenant
// guarantee: a call for workspace A cannot read or write a step (or its span)
// into a run of B, nor finish it (even with B's run id and lease owner); a lost
// lease writes nothing; the app role cannot call them; and no role or setting
// stays on the connection afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextRun } from '../agents/claim-order';
import { finishRun } from '../agents/run-lease';
import { startRun } from '../agents/runs';
import { stepSpan } from '../observability/trace-spans';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { runStartRow, writeRunStepRow, type LeaseKey, type RunStepRow } from './run-statements';
import { withWorkspace, type Tx } from './with-workspace';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let runA: string;
let runB: string;

const step = (stepIndex: number): RunStepRow => ({
  stepIndex,
  kind: 'model',
  status: 'ok',
  request: JSON.stringify({ messageCount: 1 }),
  response: JSON.stringify({ content: 'hello', toolCalls: [] }),
  toolName: null,
  toolCallId: null,
  toolArgs: null,
  toolResult: null,
  error: null,
  provider: 'local',
  model: 'enclave-local-chat',
  inputTokens: 3,
  outputTokens: 1,
  costUsd: 0,
  latencyMs: 1,
  startedAt: new Date(),
  finishedAt: null,
});

/** Writes step `stepIndex` with its span, as the run loop does. */
function write(lease: LeaseKey, stepIndex: number) {
  const row = step(stepIndex);
  const span = stepSpan(lease.workspaceId, lease.runId, { ...row, kind: 'model', status: 'ok', costUsd: 0, finishReason: 'stop', startedAt: new Date(), finishedAt: new Date() }, { model: 'enclave-local-chat', temperature: 0 });
  return writeRunStepRow(lease, row, span);
}

/** Finishes through finish_run(), as the run loop does when it knows the run. */
const finish = (lease: LeaseKey, status: 'succeeded' | 'failed') =>
  finishRun({ ...lease, leaseMs: 30_000 }, { status, output: 'done' }, { agentId: b.agent.id, agentName: 'Agent B', agentVersion: 1, requestModel: 'enclave-local-chat' });

async function spansOf(runId: string) {
  const { rows } = await db.owner.query<{ workspace_id: string; step_index: number | null }>(
    'SELECT workspace_id, step_index FROM trace_spans WHERE run_id = $1 ORDER BY step_index',
    [runId],
  );
  return rows;
}

async function stepsOf(runId: string) {
  const { rows } = await db.owner.query<{ workspace_id: string; step_index: number }>(
    'SELECT workspace_id, step_index FROM run_steps WHERE run_id = $1 ORDER BY step_index',
    [runId],
  );
  return rows;
}

async function runRow(runId: string) {
  const { rows } = await db.owner.query<{ status: string; lease_owner: string | null }>('SELECT status, lease_owner FROM runs WHERE id = $1', [runId]);
  return rows[0]!;
}

/** The role and tenant settings a fresh statement on some pooled connection sees. */
async function connectionState() {
  const { rows } = await db.owner.query<{ role: string; workspace: string; claim: string; commit: string }>(
    `SELECT current_user AS role, coalesce(current_setting('app.workspace_id', true), '') AS workspace,
            coalesce(current_setting('app.run_claim', true), '') AS claim, current_setting('synchronous_commit') AS commit`,
  );
  return rows[0]!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  const ownerA: Actor = { userId: a.owner.id, workspaceId: a.workspace.id, role: 'owner' };
  const ownerB: Actor = { userId: b.owner.id, workspaceId: b.workspace.id, role: 'owner' };
  runA = (await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: a.agent.id, input: 'hello' }))).id;
  runB = (await withWorkspace(b.workspace.id, (tx) => startRun(tx, ownerB, { agentId: b.agent.id, input: 'hello' }))).id;
  const claimed = [await claimNextRun('worker-a', 60_000), await claimNextRun('worker-b', 60_000)];
  // Fair across workspaces (migration 0025): one claim each, and no third run waiting.
  expect(claimed.map((c) => c?.workspaceId).sort()).toEqual([a.workspace.id, b.workspace.id].sort());
  expect(await claimNextRun('worker-c', 60_000)).toBeNull();
  // Each worker holds the run of its own workspace (claim order decides which it got).
  for (const c of claimed) {
    const owner = c!.workspaceId === a.workspace.id ? 'worker-a' : 'worker-b';
    await db.owner.query('UPDATE runs SET lease_owner = $1 WHERE id = $2', [owner, c!.id]);
  }
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

describe('the run functions of migrations 0015 and 0016', () => {
  it('write a step and its span for the lease holder, visible to its own workspace only', async () => {
    expect(await write({ workspaceId: a.workspace.id, runId: runA, workerId: 'worker-a' }, 0)).toEqual({ held: true, spanWritten: true });
    // Written again (a redone step): the first row and span stay, nothing is duplicated.
    expect(await write({ workspaceId: a.workspace.id, runId: runA, workerId: 'worker-a' }, 0)).toEqual({ held: true, spanWritten: false });
    expect(await stepsOf(runA)).toEqual([{ workspace_id: a.workspace.id, step_index: 0 }]);
    expect(await spansOf(runA)).toEqual([{ workspace_id: a.workspace.id, step_index: 0 }]);
    const seenByB = await withWorkspace(b.workspace.id, (tx) => tx.runStep.count({ where: { runId: runA } }));
    expect(seenByB).toBe(0);
    expect(await connectionState()).toEqual({ role: expect.not.stringMatching(/^enclave_app$/), workspace: '', claim: '', commit: 'on' });
  });

  it("cannot write into or finish B's run when called for A, even with B's run id and lease owner", async () => {
    const crossing = { workspaceId: a.workspace.id, runId: runB, workerId: 'worker-b' };
    expect(await write(crossing, 0)).toEqual({ held: false, spanWritten: false });
    expect(await finish(crossing, 'succeeded')).toBe(false);
    expect(await stepsOf(runB)).toEqual([]);
    expect(await spansOf(runB)).toEqual([]);
    expect(await runRow(runB)).toEqual({ status: 'running', lease_owner: 'worker-b' });
    // Called directly with A's workspace and B's run: the same refusal, nothing written.
    const direct = await db.owner.query<{ written: number }>(
      `SELECT write_run_step($1, $2, 'worker-b', 5, 'model', 'ok', null, null, null, null, null, null, null, null, null, 0, 0, 0, 0, now(), null, '{}') AS written`,
      [a.workspace.id, runB],
    );
    expect(direct.rows[0]!.written).toBe(-1);
    expect(await stepsOf(runB)).toEqual([]);
    expect(await connectionState()).toEqual({ role: expect.not.stringMatching(/^enclave_app$/), workspace: '', claim: '', commit: 'on' });
  });

  it('write nothing and finish nothing once the lease belongs to another worker', async () => {
    const stale = { workspaceId: b.workspace.id, runId: runB, workerId: 'worker-gone' };
    expect((await write(stale, 0)).held).toBe(false);
    expect(await finish(stale, 'failed')).toBe(false);
    expect(await stepsOf(runB)).toEqual([]);
    expect(await spansOf(runB)).toEqual([]);
    const holder = { workspaceId: b.workspace.id, runId: runB, workerId: 'worker-b' };
    expect(await write(holder, 0)).toEqual({ held: true, spanWritten: true });
    expect(await finish(holder, 'succeeded')).toBe(true);
    expect(await runRow(runB)).toEqual({ status: 'succeeded', lease_owner: 'worker-b' });
    // The root span carries the stored steps' totals and the run's own times.
    const root = await db.owner.query<{ attributes: Record<string, unknown>; started_at: Date; ended_at: Date; finished_at: Date; status: string }>(
      `SELECT s.attributes, s.started_at, s.ended_at, r.finished_at, s.status FROM trace_spans s JOIN runs r ON r.id = s.run_id
       WHERE s.run_id = $1 AND s.kind = 'run'`,
      [runB],
    );
    expect(root.rows).toHaveLength(1);
    expect(root.rows[0]!.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 3, 'gen_ai.usage.output_tokens': 1, 'enclave.cost_usd': 0, 'gen_ai.agent.name': 'Agent B' });
    expect(root.rows[0]!.ended_at.getTime()).toBe(root.rows[0]!.finished_at.getTime());
    expect(root.rows[0]!.status).toBe('ok');
    // Finishing again (a stale second finish) writes no second root span.
    expect(await finish(holder, 'failed')).toBe(false);
    // Finished: the holder's lease no longer lets it write.
    expect((await write(holder, 1)).held).toBe(false);
  });

  it("read a run's start context for its own workspace only, fixing the deadline once", async () => {
    expect(await runStartRow(a.workspace.id, runB)).toBeNull();
    const untouched = await db.owner.query<{ deadline_at: Date | null }>('SELECT deadline_at FROM runs WHERE id = $1', [runB]);
    expect(untouched.rows[0]!.deadline_at).toBeNull();

    const start = await runStartRow(b.workspace.id, runB);
    expect(start?.run).toMatchObject({ id: runB, workspace_id: b.workspace.id, agent_id: b.agent.id });
    expect(start?.version).toMatchObject({ workspace_id: b.workspace.id, agent_id: b.agent.id, version: start?.run.agent_version });
    expect(start?.allowPrivateAddresses).toBe(false);
    const fixed = await db.owner.query<{ deadline_at: Date }>('SELECT deadline_at FROM runs WHERE id = $1', [runB]);
    expect(new Date(start!.run.deadline_at as string).getTime()).toBe(fixed.rows[0]!.deadline_at.getTime());
    // A second start keeps the deadline of the first.
    const again = await runStartRow(b.workspace.id, runB);
    expect(again?.run.deadline_at).toBe(start?.run.deadline_at);
    expect(await connectionState()).toEqual({ role: expect.not.stringMatching(/^enclave_app$/), workspace: '', claim: '', commit: 'on' });
  });

  it('cannot be called by the app role', async () => {
    const calls = [
      (tx: Tx) => tx.$queryRaw`SELECT * FROM claim_next_run('x', 1000)`,
      (tx: Tx) =>
        tx.$queryRaw`SELECT write_run_step(${b.workspace.id}::uuid, ${runB}::uuid, 'x', 9, 'model', 'ok', null, null, null, null, null, null, null, null, null, 0, 0, 0, 0, now(), null, '{}')`,
      (tx: Tx) => tx.$queryRaw`SELECT finish_run(${b.workspace.id}::uuid, ${runB}::uuid, 'x', 'failed', null, null, '{}', ARRAY['a', 'b', 'c'])`,
      (tx: Tx) => tx.$queryRaw`SELECT start_run_context(${b.workspace.id}::uuid, ${runB}::uuid)`,
    ];
    for (const call of calls) {
      await expect(withWorkspace(a.workspace.id, call)).rejects.toThrow(/permission denied/);
    }
  });

  it('turn a malformed id into not found before any SQL', async () => {
    await expect(writeRunStepRow({ workspaceId: 'nope', runId: runA, workerId: 'worker-a' }, step(3), {})).rejects.toThrow(/not found/);
  });
});
