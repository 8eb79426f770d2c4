// Streaming a model step to readers in other processes, against a real database
// and a paced local model server over HTTP: the step's text lands in several
// chunks before its step row and reads back in order after a cursor; the chunks
// go once the step is written; a step redone by the next worker streams afresh
// and never mixes with the dead attempt's text (which that worker can no longer
// add to); another workspace sees none of it; and the append function is the
// writer's alone, never callable from a tenant transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertStreamChunk } from '../db/stream-chunk-writer';
import { withWorkspace } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { createAgent } from './agents';
import { claimNextRun, type ClaimedRun } from './claim-order';
import { NEW_AGENT_DEFAULTS } from './new-agent-defaults';
import { executeRun, type RunLoopDeps } from './run-loop';
import { runById, startRun } from './runs';
import { parseCursor, streamedTextSince, type StreamedDelta } from './streamed-text';
import { createQuickJsSandbox } from './tools/javascript-sandbox';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let paced: LocalModelServer;
let gateway: Gateway;
let orion: string;
const sandbox = createQuickJsSandbox();

const QUESTION = 'Tell me about the Orion launch and its crews';

function deps(workerId: string): RunLoopDeps {
  return { gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId, leaseMs: 600, streamFlushMs: 100 };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Chunks and step rows of a run, in one consistent read. */
async function rowsOf(runId: string) {
  const { rows } = await db.owner.query<{ chunks: number; steps: number; attempts: number[] }>(
    `SELECT (SELECT count(*)::int FROM run_stream_chunks WHERE run_id = $1) AS chunks,
            (SELECT count(*)::int FROM run_steps WHERE run_id = $1) AS steps,
            (SELECT coalesce(array_agg(DISTINCT attempt), '{}') FROM run_stream_chunks WHERE run_id = $1) AS attempts`,
    [runId],
  );
  return rows[0]!;
}

async function chunksOfAttempt(runId: string, attempt: number): Promise<number> {
  const { rows } = await db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_stream_chunks WHERE run_id = $1 AND attempt = $2`, [runId, attempt]);
  return rows[0]!.n;
}

/** Reads the run's streamed text the way the SSE route does, from `after`, until `done` settles. */
async function follow(runId: string, done: Promise<unknown>, after: string | undefined = undefined) {
  const deltas: StreamedDelta[] = [];
  const whileNoStep: number[] = [];
  let cursor = after;
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const fresh = await withWorkspace(a.workspace.id, (tx) => streamedTextSince(tx, a.workspace.id, runId, { fromStep: 0, after: parseCursor(cursor) }));
    for (const delta of fresh) {
      deltas.push(delta);
      cursor = delta.cursor;
    }
    const rows = await rowsOf(runId);
    if (rows.steps === 0) whileNoStep.push(rows.chunks);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  await done;
  return { deltas, text: deltas.map((d) => d.text).join(''), mostChunksBeforeStep: Math.max(0, ...whileNoStep) };
}

function cursorsIncrease(deltas: StreamedDelta[]): boolean {
  const key = (c: string) => parseCursor(c)!;
  return deltas.every((d, i) => {
    if (i === 0) return true;
    const x = key(deltas[i - 1]!.cursor);
    const y = key(d.cursor);
    return y.attempt > x.attempt || (y.attempt === x.attempt && (y.stepIndex > x.stepIndex || (y.stepIndex === x.stepIndex && y.seq > x.seq)));
  });
}

async function startQuestion(): Promise<ClaimedRun & { runId: string }> {
  const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: orion, input: QUESTION }));
  return { ...(await claimNextRun('worker-first', 600))!, runId: run.id };
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA } = await seedTenantsOnLocalModel());
  // About 40 tokens of answer at 25 tokens/s: a step of 1.5 s or so, streamed in ~100 ms batches.
  paced = await startLocalModelServer({ port: 0, latency: { ttftMs: 50, tokensPerSecond: 25 } });
  gateway = localModelGateway(paced.url);
  const created = await withWorkspace(a.workspace.id, (tx) =>
    createAgent(tx, ownerA, {
      ...NEW_AGENT_DEFAULTS,
      providerId: null,
      name: 'Orion guide',
      description: '',
      changeNote: '',
      systemPrompt:
        'The Orion launch is planned for 14 March from the northern launch site.\n' +
        'Orion launch crews train for nine months before each launch.\n' +
        'The Orion launch budget is 2.5 million EUR, shared by three crews.',
      variables: [],
    }),
  );
  orion = created.id;
}, 120_000);

afterAll(async () => {
  await sandbox.close();
  await paced?.stop();
  await db?.stop();
});

describe('a streaming model step', () => {
  it('writes several chunks before its step row, read back in order after a cursor, and leaves none behind', async () => {
    const claimed = await startQuestion();
    const followed = await follow(claimed.runId, executeRun(deps('worker-first'), claimed));

    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, claimed.runId));
    expect(done.status).toBe('succeeded');
    const answer = done.steps[0]!.content!;
    expect(answer).toContain('Orion launch crews train');
    expect(followed.mostChunksBeforeStep).toBeGreaterThanOrEqual(3);
    // Several reads saw text arrive, each after the last, and together they are the answer's beginning.
    expect(followed.deltas.length).toBeGreaterThanOrEqual(3);
    expect(followed.deltas.every((d) => d.stepIndex === 0 && d.streamId === claimed.attemptCount)).toBe(true);
    expect(cursorsIncrease(followed.deltas)).toBe(true);
    expect(followed.text.length).toBeGreaterThan(answer.length / 3);
    expect(answer.startsWith(followed.text)).toBe(true);
    // The step row replaced them; the finished run holds no chunks.
    expect(await rowsOf(claimed.runId)).toEqual({ chunks: 0, steps: 1, attempts: [] });
  });

  it('redone by the next worker after a takeover, streams afresh and never mixes with the dead attempt', async () => {
    const first = await startQuestion();
    const firstRun = executeRun(deps('worker-first'), first);
    await until('the first attempt to stream two chunks', async () => (await chunksOfAttempt(first.runId, first.attemptCount)) >= 2);
    // A browser following the first attempt holds its cursor.
    const seen = await withWorkspace(a.workspace.id, (tx) => streamedTextSince(tx, a.workspace.id, first.runId, { fromStep: 0 }));
    const oldCursor = seen.at(-1)!.cursor;
    expect(parseCursor(oldCursor)!.attempt).toBe(first.attemptCount);

    // The first worker stalls: its lease runs out and another worker claims the run.
    const second = await until('another worker to claim the run', async () => {
      await db.owner.query(`UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [first.runId]);
      return claimNextRun('worker-second', 600);
    });
    expect(second.id).toBe(first.runId);
    expect(second.attemptCount).toBe(first.attemptCount + 1);
    const oldChunks = await chunksOfAttempt(first.runId, first.attemptCount);
    await firstRun;
    // The first worker found its lease gone: not one more chunk from it.
    expect(await chunksOfAttempt(first.runId, first.attemptCount)).toBe(oldChunks);
    // Its chunks are still there until the step is written, yet a reader starting now gets nothing of them.
    expect(oldChunks).toBeGreaterThanOrEqual(2);
    expect(await withWorkspace(a.workspace.id, (tx) => streamedTextSince(tx, a.workspace.id, first.runId, { fromStep: 0 }))).toEqual([]);

    const followed = await follow(first.runId, executeRun(deps('worker-second'), second), oldCursor);
    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, first.runId));
    expect(done.status).toBe('succeeded');
    expect(done.steps).toHaveLength(1);
    const answer = done.steps[0]!.content!;
    // Only the new attempt's text, from the answer's first word, once: the old chunks never came back.
    expect(followed.deltas.length).toBeGreaterThan(0);
    expect(followed.deltas.every((d) => d.streamId === second.attemptCount)).toBe(true);
    expect(followed.text.length).toBeGreaterThan(0);
    expect(answer.startsWith(followed.text)).toBe(true);
    expect(await rowsOf(first.runId)).toEqual({ chunks: 0, steps: 1, attempts: [] });
  }, 60_000);

  it('is invisible to another workspace', async () => {
    const claimed = await startQuestion();
    const running = executeRun(deps('worker-first'), claimed);
    try {
      await until('chunks to be written', async () => (await chunksOfAttempt(claimed.runId, claimed.attemptCount)) >= 1);
      const bSees = await withWorkspace(b.workspace.id, (tx) => tx.runStreamChunk.findMany({ select: { workspaceId: true, runId: true } }));
      expect(bSees.length).toBeGreaterThan(0);
      expect(bSees.every((c) => c.workspaceId === b.workspace.id && c.runId !== claimed.runId)).toBe(true);
      await expect(withWorkspace(b.workspace.id, (tx) => streamedTextSince(tx, b.workspace.id, claimed.runId, { fromStep: 0 }))).rejects.toThrow('Run not found');
      // Even asking for A's id under B's context finds nothing.
      await expect(withWorkspace(b.workspace.id, (tx) => streamedTextSince(tx, a.workspace.id, claimed.runId, { fromStep: 0 }))).rejects.toThrow('Run not found');
      expect((await withWorkspace(a.workspace.id, (tx) => streamedTextSince(tx, a.workspace.id, claimed.runId, { fromStep: 0 }))).length).toBeGreaterThan(0);
    } finally {
      await running;
    }
  });

  it('appends only through a function the app role cannot call, under the lease, leaving the connection without a tenant', async () => {
    const claimed = await startQuestion();
    // From inside a tenant transaction it would switch the workspace: the app role may not call it.
    await expect(
      withWorkspace(a.workspace.id, (tx) => tx.$queryRaw`SELECT append_run_stream_chunk(${b.workspace.id}::uuid, ${claimed.runId}::uuid, 'worker-first', 1, 0, 0, 'x')`),
    ).rejects.toThrow(/permission denied/);
    const chunk = { workspaceId: a.workspace.id, runId: claimed.runId, attempt: claimed.attemptCount, stepIndex: 0, seq: 0, text: 'From' };
    // Not the lease holder, or not its attempt: nothing is written.
    expect(await insertStreamChunk({ ...chunk, workerId: 'worker-other' })).toBe(false);
    expect(await insertStreamChunk({ ...chunk, workerId: 'worker-first', attempt: claimed.attemptCount + 1 })).toBe(false);
    // Under another workspace's id the run is not there to hold.
    expect(await insertStreamChunk({ ...chunk, workspaceId: b.workspace.id, workerId: 'worker-first' })).toBe(false);
    expect(await insertStreamChunk({ ...chunk, workerId: 'worker-first' })).toBe(true);
    expect(await insertStreamChunk({ ...chunk, workerId: 'worker-first' })).toBe(false);
    expect(await rowsOf(claimed.runId)).toEqual({ chunks: 1, steps: 0, attempts: [claimed.attemptCount] });
    const client = await db.owner.connect();
    try {
      await client.query(`SELECT append_run_stream_chunk($1, $2, 'worker-first', $3, 0, 1, 'probe')`, [a.workspace.id, claimed.runId, claimed.attemptCount]);
      const after = await client.query(`SELECT current_user AS role, coalesce(current_setting('app.workspace_id', true), '') AS workspace`);
      expect(after.rows[0].workspace).toBe('');
      expect(after.rows[0].role).not.toBe('enclave_app');
    } finally {
      client.release();
    }
    // The run goes on to finish, and its chunks with it.
    await executeRun(deps('worker-first'), claimed);
    expect(await rowsOf(claimed.runId)).toEqual({ chunks: 0, steps: 1, attempts: [] });
  });
});
