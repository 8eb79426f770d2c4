// The weighted fair claim (migration 0025), checked by counting claims, never by
// time: weights give proportional shares over a long backlog, a single run of one
// workspace waits no more than the documented bound behind 1,000 of another, the
// concurrency cap holds, FIFO holds inside a workspace, idleness is not banked,
// parallel claimers never take a run twice, an expired lease is claimable again,
// and ingestion claims share the same fairness on their own clocks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimNextDocument } from '../knowledge/ingestion-claim';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { claimNextRun, claimsBeforeBound, type ClaimedRun } from './claim-order';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;

const LEASE_MS = 600_000;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

beforeEach(async () => {
  // Each test starts with empty queues, fresh clocks and plan limits (weight 1, cap 2 on free).
  await db.owner.query(`DELETE FROM runs WHERE status IN ('queued', 'running')`);
  await db.owner.query(`DELETE FROM knowledge_documents WHERE status IN ('queued', 'processing')`);
  await db.owner.query('DELETE FROM workspace_queue_clocks');
  await db.owner.query('UPDATE workspace_limit_overrides SET scheduling_weight = NULL, concurrent_runs = NULL');
});

async function setLimits(tenant: SeededTenant, limits: { weight?: number; concurrentRuns?: number }) {
  await db.owner.query('UPDATE workspace_limit_overrides SET scheduling_weight = $2, concurrent_runs = $3 WHERE workspace_id = $1', [
    tenant.workspace.id,
    limits.weight ?? null,
    limits.concurrentRuns ?? null,
  ]);
}

/** Queues `count` runs for the tenant, created one millisecond apart after everything already queued; their ids in order. */
async function queueRuns(tenant: SeededTenant, count: number): Promise<string[]> {
  const { rows } = await db.owner.query<{ id: string }>(
    `INSERT INTO runs (workspace_id, agent_id, agent_version, input, created_at)
     SELECT $1, $2, 1, 'queued by the claim test', base.t + make_interval(secs => i / 1000.0)
     FROM generate_series(1, $3::int) i,
          (SELECT greatest(now(), coalesce(max(created_at), now())) + interval '1 millisecond' AS t FROM runs) base
     ORDER BY i
     RETURNING id, created_at`,
    [tenant.workspace.id, tenant.agent.id, count],
  );
  return rows.map((r) => r.id);
}

async function queueDocuments(tenant: SeededTenant, count: number): Promise<string[]> {
  const { rows } = await db.owner.query<{ id: string }>(
    `INSERT INTO knowledge_documents (workspace_id, knowledge_base_id, source_kind, name, created_at)
     SELECT $1, $2, 'paste', 'claim test ' || i, now() + make_interval(secs => i / 1000.0)
     FROM generate_series(1, $3::int) i
     RETURNING id`,
    [tenant.workspace.id, tenant.knowledgeBase.id, count],
  );
  return rows.map((r) => r.id);
}

async function claimMany(count: number): Promise<ClaimedRun[]> {
  const claimed: ClaimedRun[] = [];
  for (let i = 0; i < count; i++) {
    const run = await claimNextRun(`worker-${i % 3}`, LEASE_MS);
    if (!run) break;
    claimed.push(run);
  }
  return claimed;
}

/** Claims until `runId` is claimed; how many other runs were claimed first. */
async function claimsBefore(runId: string, limit: number): Promise<number> {
  for (let n = 0; n < limit; n++) {
    const run = await claimNextRun('worker-bound', LEASE_MS);
    expect(run, 'a run was waiting').not.toBeNull();
    if (run!.id === runId) return n;
  }
  throw new Error(`run ${runId} was not claimed within ${limit} claims`);
}

describe('weighted fair run claims', () => {
  it("claims B's single run within the documented bound while A has 1,000 queued", async () => {
    // A on an enterprise-like weight 8 against B at 1: the bound is floor(8/1) + 1 = 9 claims.
    await setLimits(a, { weight: 8, concurrentRuns: 5000 });
    await setLimits(b, { concurrentRuns: 5000 });
    const bound = claimsBeforeBound(1, [8]);
    expect(bound).toBe(9);
    await queueRuns(a, 1000);
    const [first] = await queueRuns(b, 1);
    const waitedFirst = await claimsBefore(first!, 1000);
    expect(waitedFirst).toBeLessThanOrEqual(bound);
    // The worst case: B was just served, so its clock is a full 1/w_B ahead of the system clock.
    const [second] = await queueRuns(b, 1);
    const waitedSecond = await claimsBefore(second!, 1000);
    expect(waitedSecond).toBeLessThanOrEqual(bound);
    expect(waitedSecond).toBeGreaterThan(0);
    // At equal weights the bound is 2 claims, and still holds.
    await setLimits(a, { weight: 1, concurrentRuns: 5000 });
    const [third] = await queueRuns(b, 1);
    expect(await claimsBefore(third!, 1000)).toBeLessThanOrEqual(claimsBeforeBound(1, [1]));
    // A's remaining runs are all still there, in order.
    const { rows } = await db.owner.query<{ queued: number }>(
      `SELECT count(*)::int AS queued FROM runs WHERE workspace_id = $1 AND status = 'queued'`,
      [a.workspace.id],
    );
    expect(rows[0]!.queued).toBeGreaterThan(950);
  }, 120_000);

  it('gives weights 1 and 4 shares of 1:4 over a long backlog, FIFO inside each workspace', async () => {
    await setLimits(a, { weight: 1, concurrentRuns: 5000 });
    await setLimits(b, { weight: 4, concurrentRuns: 5000 });
    const queuedA = await queueRuns(a, 300);
    const queuedB = await queueRuns(b, 300);
    const claimed = await claimMany(250);
    expect(claimed).toHaveLength(250);
    const ofA = claimed.filter((c) => c.workspaceId === a.workspace.id).map((c) => c.id);
    const ofB = claimed.filter((c) => c.workspaceId === b.workspace.id).map((c) => c.id);
    // 50 : 200 exactly under start-time fair queuing; allow one claim of rounding at the edges.
    expect(Math.abs(ofA.length - 50)).toBeLessThanOrEqual(1);
    expect(Math.abs(ofB.length - 200)).toBeLessThanOrEqual(1);
    // Every window of 5 consecutive claims holds 1 ± 1 of A: the shares hold throughout, not only in total.
    for (let i = 0; i + 5 <= claimed.length; i += 5) {
      const window = claimed.slice(i, i + 5).filter((c) => c.workspaceId === a.workspace.id).length;
      expect(window).toBeGreaterThanOrEqual(0);
      expect(window).toBeLessThanOrEqual(2);
    }
    expect(ofA).toEqual(queuedA.slice(0, ofA.length));
    expect(ofB).toEqual(queuedB.slice(0, ofB.length));
  }, 120_000);

  it('does not bank idleness: a workspace back after a long pause alternates instead of catching up', async () => {
    await setLimits(a, { concurrentRuns: 5000 });
    await setLimits(b, { concurrentRuns: 5000 });
    await queueRuns(b, 200);
    const alone = await claimMany(100);
    expect(alone.every((c) => c.workspaceId === b.workspace.id)).toBe(true);
    await queueRuns(a, 20);
    const next = await claimMany(20);
    const ofA = next.filter((c) => c.workspaceId === a.workspace.id).length;
    expect(ofA).toBeGreaterThanOrEqual(9);
    expect(ofA).toBeLessThanOrEqual(11);
    // Never more than two of A in a row: it did not bank the 100 claims it missed.
    const pattern = next.map((c) => (c.workspaceId === a.workspace.id ? 'A' : 'B')).join('');
    expect(pattern).not.toContain('AAA');
  }, 60_000);

  it("skips a workspace at its concurrency cap and takes it again once a run ends", async () => {
    await setLimits(a, { concurrentRuns: 2 });
    const queuedA = await queueRuns(a, 5);
    const first = await claimMany(3);
    expect(first.map((c) => c.id)).toEqual(queuedA.slice(0, 2));
    // B's run is claimable while A waits at its cap.
    const [runB] = await queueRuns(b, 1);
    expect((await claimNextRun('worker-b', LEASE_MS))?.id).toBe(runB);
    expect(await claimNextRun('worker-x', LEASE_MS)).toBeNull();
    await db.owner.query(`UPDATE runs SET status = 'succeeded', finished_at = now(), lease_expires_at = NULL WHERE id = $1`, [queuedA[0]]);
    expect((await claimNextRun('worker-x', LEASE_MS))?.id).toBe(queuedA[2]);
    expect(await claimNextRun('worker-x', LEASE_MS)).toBeNull();
    // A run paused for approval holds no slot.
    await db.owner.query(`UPDATE runs SET status = 'awaiting_approval', lease_expires_at = NULL WHERE id = $1`, [queuedA[1]]);
    expect((await claimNextRun('worker-x', LEASE_MS))?.id).toBe(queuedA[3]);
  }, 60_000);

  it('claims a run whose lease expired again, before later runs of its workspace, as a new attempt', async () => {
    const [oldest, younger] = await queueRuns(a, 2);
    const first = await claimNextRun('worker-gone', LEASE_MS);
    expect(first).toMatchObject({ id: oldest, attemptCount: 1 });
    await db.owner.query(`UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [oldest]);
    // The expired run does not count against the cap (2 on free) and comes back first.
    const rescued = await claimNextRun('worker-rescue', LEASE_MS);
    expect(rescued).toMatchObject({ id: oldest, workspaceId: a.workspace.id, attemptCount: 2 });
    const { rows } = await db.owner.query<{ lease_owner: string }>('SELECT lease_owner FROM runs WHERE id = $1', [oldest]);
    expect(rows[0]!.lease_owner).toBe('worker-rescue');
    expect((await claimNextRun('worker-rescue', LEASE_MS))?.id).toBe(younger);
  }, 60_000);

  it('never hands one run to two of many parallel claimers', async () => {
    await setLimits(a, { concurrentRuns: 5000 });
    await setLimits(b, { concurrentRuns: 5000 });
    const queued = [...(await queueRuns(a, 30)), ...(await queueRuns(b, 30))];
    const results = await Promise.all(Array.from({ length: 80 }, (_, i) => claimNextRun(`parallel-${i}`, LEASE_MS)));
    const claimed = results.filter((r): r is ClaimedRun => r !== null);
    expect(claimed).toHaveLength(60);
    expect(new Set(claimed.map((c) => c.id)).size).toBe(60);
    expect(new Set(claimed.map((c) => c.id))).toEqual(new Set(queued));
    const { rows } = await db.owner.query<{ attempts: number }>(
      `SELECT max(attempt_count)::int AS attempts FROM runs WHERE id = ANY($1::uuid[])`,
      [queued],
    );
    expect(rows[0]!.attempts).toBe(1);
    // The clocks counted each claim once.
    const clocks = await db.owner.query<{ claims: string }>(`SELECT sum(claims)::text AS claims FROM workspace_queue_clocks WHERE queue = 'runs'`);
    expect(clocks.rows[0]!.claims).toBe('60');
  }, 60_000);

  it('keeps each workspace clock readable by that workspace only, and the claim role away from other queues', async () => {
    await queueRuns(a, 1);
    await claimMany(1);
    await queueDocuments(b, 1);
    expect(await claimNextDocument('ingest-x', LEASE_MS)).not.toBeNull();
    const { rows } = await db.owner.query<{ workspace_id: string; queue: string }>(
      'SELECT workspace_id, queue FROM workspace_queue_clocks ORDER BY queue',
    );
    expect(rows).toEqual([
      { workspace_id: b.workspace.id, queue: 'ingestion' },
      { workspace_id: a.workspace.id, queue: 'runs' },
    ]);
    // Under the run claim's context the ingestion clocks are invisible, and the reverse.
    const client = await db.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', 'enclave_app', true), set_config('app.run_claim', 'on', true)`);
      const underRunClaim = await client.query<{ queue: string }>('SELECT queue FROM workspace_queue_clocks');
      expect(underRunClaim.rows).toEqual([{ queue: 'runs' }]);
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', 'enclave_app', true), set_config('app.workspace_id', $1, true)`, [b.workspace.id]);
      const underB = await client.query<{ workspace_id: string }>('SELECT workspace_id FROM workspace_queue_clocks');
      expect(underB.rows).toEqual([{ workspace_id: b.workspace.id }]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  }, 60_000);
});

describe('weighted fair ingestion claims', () => {
  it('share documents 1:4 by weight, FIFO inside each workspace, on their own clocks', async () => {
    await setLimits(a, { weight: 1 });
    await setLimits(b, { weight: 4 });
    const docsA = await queueDocuments(a, 60);
    const docsB = await queueDocuments(b, 60);
    const claimed = [];
    for (let i = 0; i < 50; i++) {
      const doc = await claimNextDocument(`ingest-${i % 2}`, LEASE_MS);
      expect(doc).not.toBeNull();
      claimed.push(doc!);
    }
    const ofA = claimed.filter((d) => d.workspaceId === a.workspace.id).map((d) => d.id);
    const ofB = claimed.filter((d) => d.workspaceId === b.workspace.id).map((d) => d.id);
    expect(Math.abs(ofA.length - 10)).toBeLessThanOrEqual(1);
    expect(Math.abs(ofB.length - 40)).toBeLessThanOrEqual(1);
    expect(ofA).toEqual(docsA.slice(0, ofA.length));
    expect(ofB).toEqual(docsB.slice(0, ofB.length));
    const { rows } = await db.owner.query<{ queue: string }>('SELECT DISTINCT queue FROM workspace_queue_clocks');
    expect(rows).toEqual([{ queue: 'ingestion' }]);
  }, 60_000);
});
