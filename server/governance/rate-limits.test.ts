// Rate limits against a real database: runs started, API requests (429 with
// Retry-After over HTTP), model tokens through the gateway (taken before the call,
// settled to what it used), exactness when two OS processes hammer one limit, old
// windows pruned, and one workspace's traffic never spending another's limits.
import { spawn } from 'node:child_process';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../agents/runs';
import { withWorkspace } from '../db/with-workspace';
import { LimitExceeded } from '../domain-errors';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { trpcHttpResponse } from '../trpc/http-endpoint';
import { LIMIT_FIELDS, type LimitOverrides } from './limit-fields';
import { setWorkspaceLimits } from './limit-settings';
import { checkAndTakeTokens, settleTokens, takeRateLimit, type RateLimitKind } from './rate-limits';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let ownerB: Actor;
let model: LocalModelServer;
let gateway: Gateway;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA, ownerB } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  gateway = localModelGateway(model.url);
}, 120_000);

afterAll(async () => {
  await model?.stop();
  await db?.stop();
});

function overrides(values: Partial<LimitOverrides>): LimitOverrides {
  return { ...(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, null])) as LimitOverrides), ...values };
}

async function setLimits(t: SeededTenant, values: Partial<LimitOverrides>) {
  await withWorkspace(t.workspace.id, (tx) =>
    setWorkspaceLimits(tx, { workspaceId: t.workspace.id, operatorUserId: t.owner.id, plan: 'free', overrides: overrides(values) }),
  );
}

/** This minute's counter, read as the owner (outside any tenant context). */
async function counter(t: SeededTenant, kind: RateLimitKind): Promise<number> {
  const { rows } = await db.owner.query<{ used: string }>(
    `SELECT used FROM rate_limit_windows WHERE workspace_id = $1 AND kind = $2 AND window_start = date_trunc('minute', now())`,
    [t.workspace.id, kind],
  );
  return Number(rows[0]?.used ?? 0);
}

async function resetCounter(t: SeededTenant, kind: RateLimitKind) {
  await db.owner.query(`DELETE FROM rate_limit_windows WHERE workspace_id = $1 AND kind = $2`, [t.workspace.id, kind]);
}

/** Fixed one-minute windows: a test that fills one must not straddle two. */
async function awayFromMinuteBoundary(needSeconds = 20) {
  const intoMinute = new Date().getSeconds();
  if (intoMinute > 60 - needSeconds) await new Promise((resolve) => setTimeout(resolve, (61 - intoMinute) * 1000));
}

async function usageRowCount(t: SeededTenant): Promise<number> {
  const { rows } = await db.owner.query<{ n: string }>('SELECT count(*) AS n FROM usage_events WHERE workspace_id = $1', [t.workspace.id]);
  return Number(rows[0]!.n);
}

describe('runs started per minute', () => {
  it('admits starts up to the limit, then refuses naming the limit with a retry-after; a repeated key does not count', async () => {
    await awayFromMinuteBoundary();
    await resetCounter(a, 'runs');
    await setLimits(a, { runsPerMinute: 2 });
    const first = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: a.agent.id, input: 'one', idempotencyKey: 'limit-1' }));
    await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: a.agent.id, input: 'two' }));
    const again = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: a.agent.id, input: 'one', idempotencyKey: 'limit-1' }));
    expect(again.id).toBe(first.id);
    const refused = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: a.agent.id, input: 'three' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LimitExceeded);
    expect((refused as LimitExceeded).message).toMatch(/limit of 2 runs started per minute/);
    expect((refused as LimitExceeded).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((refused as LimitExceeded).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await counter(a, 'runs')).toBe(2);
    // The refused start left no run behind.
    const { rows } = await db.owner.query('SELECT 1 FROM runs WHERE workspace_id = $1 AND input = $2', [a.workspace.id, 'three']);
    expect(rows).toHaveLength(0);
  });

  it("are not spent by another workspace's starts", async () => {
    const before = await counter(b, 'runs');
    const run = await withWorkspace(b.workspace.id, (tx) => startRun(tx, ownerB, { agentId: b.agent.id, input: 'B is not limited by A' }));
    expect(run.status).toBe('queued');
    expect(await counter(b, 'runs')).toBe(before + 1);
    expect(await counter(a, 'runs')).toBe(2);
  });
});

describe('API requests per minute over HTTP', () => {
  const listRuns = (t: SeededTenant) =>
    new Request(`http://localhost/api/trpc/runs.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ workspaceId: t.workspace.id })))}`);

  it('answers 429 with Retry-After and a message naming the limit once the workspace has used it', async () => {
    await awayFromMinuteBoundary();
    await resetCounter(a, 'api_requests');
    await setLimits(a, { apiRequestsPerMinute: 3 });
    for (let i = 0; i < 3; i += 1) expect((await trpcHttpResponse(listRuns(a), a.owner)).status).toBe(200);
    const refused = await trpcHttpResponse(listRuns(a), a.member);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { json: { message: string; data: { code: string; retryAfterSeconds: number } } } };
    expect(body.error.json.message).toMatch(/limit of 3 API requests per minute\. Try again in \d+ seconds?\./);
    expect(body.error.json.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: retryAfter });
    expect(await counter(a, 'api_requests')).toBe(3);
  });

  it("lets a non-member spend nothing of a workspace's limit, and leaves other workspaces' limits alone", async () => {
    await resetCounter(a, 'api_requests');
    const stranger = await trpcHttpResponse(listRuns(a), b.owner);
    expect(stranger.status).toBe(404);
    expect(await counter(a, 'api_requests')).toBe(0);
    const before = await counter(b, 'api_requests');
    expect((await trpcHttpResponse(listRuns(b), b.owner)).status).toBe(200);
    expect(await counter(b, 'api_requests')).toBe(before + 1);
    expect(await counter(a, 'api_requests')).toBe(0);
  });
});

describe('model tokens per minute', () => {
  it('takes the planned tokens, settles them to the actual, and refuses what does not fit', async () => {
    await awayFromMinuteBoundary();
    await resetCounter(b, 'model_tokens');
    await setLimits(b, { tokensPerMinute: 1_000 });
    const first = await checkAndTakeTokens(b.workspace.id, 600);
    expect(first).toMatchObject({ used: 600, limit: 1_000 });
    const refused = await checkAndTakeTokens(b.workspace.id, 600).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LimitExceeded);
    expect((refused as LimitExceeded).message).toMatch(/limit of 1,000 model tokens per minute/);
    await settleTokens(first, 100);
    expect(await counter(b, 'model_tokens')).toBe(100);
    await checkAndTakeTokens(b.workspace.id, 600);
    const tooBig = await checkAndTakeTokens(b.workspace.id, 5_000).catch((e: unknown) => e);
    expect((tooBig as LimitExceeded).message).toMatch(/needs 5,000 tokens, more than this workspace's limit of 1,000 model tokens per minute/);
    expect((tooBig as LimitExceeded).retryAfterSeconds).toBeUndefined();
  });

  it('refuses a gateway call before it reaches the model, and counts what an admitted call used', async () => {
    await resetCounter(b, 'model_tokens');
    await setLimits(b, { tokensPerMinute: 100 });
    const rowsBefore = await usageRowCount(b);
    const messages = [{ role: 'user' as const, content: 'What is the refund policy?' }];
    await expect(gateway.chatCompletion({ workspaceId: b.workspace.id, messages, maxTokens: 500 })).rejects.toThrow(/100 model tokens per minute/);
    expect(await usageRowCount(b)).toBe(rowsBefore);
    expect(await counter(b, 'model_tokens')).toBe(0);

    await setLimits(b, { tokensPerMinute: 50_000 });
    const result = await gateway.chatCompletion({ workspaceId: b.workspace.id, messages, maxTokens: 200 });
    expect(await counter(b, 'model_tokens')).toBe(result.usage.inputTokens + result.usage.outputTokens);
    expect(await counter(a, 'model_tokens')).toBe(0);
  });
});

describe('exactness and upkeep', () => {
  it('admits exactly the limit when two processes hammer it at once', async () => {
    await awayFromMinuteBoundary(40);
    await resetCounter(b, 'api_requests');
    await setLimits(b, { apiRequestsPerMinute: 40 });
    const aBefore = await counter(a, 'api_requests');
    const startAt = String(Date.now() + 8_000);
    const hammer = () =>
      new Promise<{ admitted: number; refused: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'server/testing/rate-limit-hammer.ts', b.workspace.id, 'api_requests', '60', '6', startAt], {
          cwd: process.cwd(),
          env: { NODE_ENV: 'test', DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`hammer exited ${code}: ${err}`))));
      });
    const results = await Promise.all([hammer(), hammer()]);
    expect(results.every((r) => r.admitted > 0)).toBe(true);
    expect(results.reduce((sum, r) => sum + r.admitted, 0)).toBe(40);
    expect(results.reduce((sum, r) => sum + r.refused, 0)).toBe(80);
    expect(await counter(b, 'api_requests')).toBe(40);
    expect(await counter(a, 'api_requests')).toBe(aBefore);
  }, 120_000);

  it("prunes a workspace's older windows when a new window opens", async () => {
    await db.owner.query(
      `INSERT INTO rate_limit_windows (workspace_id, kind, window_start, used) VALUES ($1, 'runs', date_trunc('minute', now()) - interval '5 minutes', 9)`,
      [b.workspace.id],
    );
    await resetCounterWindow(b, 'runs');
    await takeRateLimit(b.workspace.id, 'runs', 1);
    const { rows } = await db.owner.query<{ window_start: Date }>(`SELECT window_start FROM rate_limit_windows WHERE workspace_id = $1 AND kind = 'runs'`, [b.workspace.id]);
    expect(rows).toHaveLength(1);
    // Another workspace's windows are its own business.
    const other = await db.owner.query(`SELECT 1 FROM rate_limit_windows WHERE workspace_id = $1`, [a.workspace.id]);
    expect(other.rows.length).toBeGreaterThan(0);
  });

  it('refuses a workspace that does not exist as not found', async () => {
    await expect(takeRateLimit('00000000-0000-4000-8000-000000000000', 'runs', 1)).rejects.toThrow(/Workspace not found/);
  });
});

/** Only this minute's row: the older ones stay, for the pruning test. */
async function resetCounterWindow(t: SeededTenant, kind: RateLimitKind) {
  await db.owner.query(`DELETE FROM rate_limit_windows WHERE workspace_id = $1 AND kind = $2 AND window_start = date_trunc('minute', now())`, [
    t.workspace.id,
    kind,
  ]);
}
