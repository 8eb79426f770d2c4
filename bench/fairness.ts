// How the weighted fair claim (migration 0025) shares workers between a noisy
// workspace and quiet ones. Method: a fresh embedded database (or DATABASE_URL),
// a local model server at a realistic latency (150 ms to the first token, then 60
// tokens/s) reached through the gateway, and real run workers (WORKERS claim loops
// × SLOTS runs each, streamed text not written) executing one-step runs. The
// nominal capacity C = slots / E, with E one run's execution time measured alone.
// Then, with runs started through startRun() at fixed rates:
//   solo   the 4 quiet workspaces (plan free: weight 1, 2 concurrent runs) each send
//          QUIET_SHARE × C
//   noisy  the same, beside a noisy workspace (plan pro: weight 4, 10 concurrent
//          runs) sending 20× a quiet one's load: more than its cap lets it run, and
//          with the quiet load more than the workers can serve
// Weights and caps are the plans'; only the rate limits are lifted (an operator
// override) so the noisy one's starts are not refused. Per workspace it prints the
// queue wait (claimed_at − created_at) p50/p99 and its share of the runs finished in
// the measured window against its fair share: the weighted max-min fair share
// (water-filling) of the window's capacity (runs finished per second, all
// workspaces) given the capacity each workspace asked for — its start rate, at most
// what its cap allows (cap / mean execution time): a workspace asking less than its
// weighted share gets what it asked, the rest is split by weight among those asking
// more. Share error is |measured share − fair share| in percentage points. Jain's
// index is taken over measured / fair throughput. Quiet p99 run latency (created →
// finished, wait plus execution) is pooled over the 4 quiet workspaces, solo and
// beside the noisy one. Figures only; the last line is one JSON object.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { env, setRuntimeEnv } from '../server/env';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { migrate } from '../server/db/migrator';
import { createOwnerPool } from '../server/db/owner-pool';
import { disconnectPrisma } from '../server/db/prisma';
import { withWorkspace } from '../server/db/with-workspace';
import { createAgent } from '../server/agents/agents';
import { NEW_AGENT_DEFAULTS } from '../server/agents/new-agent-defaults';
import { startRunWorker, type RunWorker } from '../server/agents/run-worker';
import { startRun } from '../server/agents/runs';
import { createQuickJsSandbox } from '../server/agents/tools/javascript-sandbox';
import { createGateway, systemClock } from '../server/llm/gateway';
import { startLocalModelServer } from '../server/llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../server/net/node-egress-adapters';
import type { Actor } from '../server/tenancy/members';
import { signUp } from '../server/tenancy/accounts';
import { createWorkspace } from '../server/tenancy/workspaces';

const WORKERS = 4;
const SLOTS = 3;
const QUIET = 4;
const NOISY_FACTOR = 20;
/** What each quiet workspace asks for, as a fraction of capacity: under its weighted share, so it should get all of it. */
const QUIET_SHARE = 0.05;
const CALIBRATION_RUNS = 3;
const SOLO_SECONDS = 20;
const NOISY_SECONDS = 35;
/** The start of each phase left out of the figures (the noisy backlog building up). */
const WARM_UP_SECONDS = 5;
// Idle claim loops poll this often; a claim that finds nothing still costs the database a statement.
const POLL_MS = 100;
const LATENCY = { ttftMs: 150, tokensPerSecond: 60 };
const RUN_PROMPT = 'What does the refund policy say about timing?';
// Three long refund lines: the local chat model quotes the three most relevant, about 170 tokens (≈ 3 s at 60 tokens/s).
const SYSTEM_PROMPT = [
  'You are a helpful assistant for the shop.',
  'Refund timing: a refund is paid back within 5 business days after the returned parcel arrives at our warehouse and has been checked by the returns team, who confirm the condition of every item, compare it with the order, and then release the refund to the original payment method.',
  'Refund timing by payment method: card refunds can take up to 10 business days to appear on the statement because the card issuer processes them in batches, bank transfer refunds usually arrive within 3 business days, and store credit refunds are available immediately after the check.',
  'Refund timing for partial returns: when only some items of an order are returned, the refund covers those items and their share of any discount, is paid within the same 5 business days, and the original shipping cost is refunded only when the whole order is returned within 30 days.',
  'Shipping is free above 50 EUR and takes 2 to 4 business days.',
  'Answer briefly and say when you do not know.',
].join('\n');

type Tenant = { name: string; actor: Actor; agentId: string; weight: number; cap: number };
type RunRow = { workspace_id: string; created_at: Date; claimed_at: Date | null; finished_at: Date | null; status: string };

const quantile = (samples: readonly number[], q: number) => {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

async function seedTenant(owner: pg.Pool, name: string, plan: 'free' | 'pro', stamp: number): Promise<Tenant> {
  const user = await signUp({ email: `fairness-${stamp}-${name}@bench.test`, name, password: 'bench password 1' });
  const workspace = await createWorkspace(user.id, { name: `Fairness ${name}` });
  const actor: Actor = { userId: user.id, workspaceId: workspace.id, role: 'owner' };
  const agent = await withWorkspace(workspace.id, (tx) =>
    createAgent(tx, actor, { ...NEW_AGENT_DEFAULTS, providerId: null, name: 'Support', systemPrompt: SYSTEM_PROMPT, variables: [], description: '', changeNote: '', tools: [] }),
  );
  // The plan sets the weight and the cap; the operator's override lifts the rate limits.
  await owner.query('UPDATE workspaces SET plan = $2 WHERE id = $1', [workspace.id, plan]);
  await owner.query(
    `INSERT INTO workspace_limit_overrides (workspace_id, runs_per_minute, tokens_per_minute, api_requests_per_minute)
     VALUES ($1, 1000000, 1000000000, 1000000)
     ON CONFLICT (workspace_id) DO UPDATE SET runs_per_minute = excluded.runs_per_minute,
       tokens_per_minute = excluded.tokens_per_minute, api_requests_per_minute = excluded.api_requests_per_minute`,
    [workspace.id],
  );
  const { rows } = await owner.query<{ scheduling_weight: number; concurrent_runs: number }>(
    'SELECT scheduling_weight, concurrent_runs FROM workspace_limits($1)',
    [workspace.id],
  );
  return { name, actor, agentId: agent.id, weight: rows[0]!.scheduling_weight, cap: rows[0]!.concurrent_runs };
}

const enqueue = (tenant: Tenant) =>
  withWorkspace(tenant.actor.workspaceId, (tx) => startRun(tx, tenant.actor, { agentId: tenant.agentId, input: RUN_PROMPT }));

/** Starts runs for each tenant at its rate (runs/s), evenly spaced from a random phase, for `seconds`; resolves when every start is in. */
async function send(load: { tenant: Tenant; perSecond: number }[], seconds: number): Promise<number> {
  const began = performance.now();
  const starts: Promise<unknown>[] = [];
  const senders = load.map(async ({ tenant, perSecond }) => {
    const interval = 1000 / perSecond;
    let next = Math.random() * interval;
    while (next < seconds * 1000) {
      const due = began + next - performance.now();
      if (due > 0) await sleep(due);
      starts.push(enqueue(tenant));
      next += interval;
    }
  });
  await Promise.all(senders);
  await Promise.all(starts);
  return starts.length;
}

async function runsCreatedBetween(owner: pg.Pool, from: Date, to: Date): Promise<RunRow[]> {
  const { rows } = await owner.query<RunRow>(
    'SELECT workspace_id, created_at, claimed_at, finished_at, status FROM runs WHERE created_at >= $1 AND created_at < $2',
    [from, to],
  );
  return rows;
}

/** Waits until every run of `workspaceIds` created before `to` has finished (bounded). */
async function drain(owner: pg.Pool, workspaceIds: string[], to: Date, limitMs: number) {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    const { rows } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM runs WHERE workspace_id = ANY($1::uuid[]) AND created_at < $2 AND status IN ('queued', 'running')`,
      [workspaceIds, to],
    );
    if (rows[0]!.n === 0) return;
    await sleep(50);
  }
}

const dbNow = async (owner: pg.Pool) => (await owner.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;

/** Weighted max-min fair allocation of `capacity` to `demand` (water-filling). */
function maxMinFair(demand: number[], weight: number[], capacity: number): number[] {
  const allocation = demand.map(() => 0);
  let left = capacity;
  let active = demand.map((_, i) => i).filter((i) => demand[i]! > 0);
  while (active.length && left > 1e-9) {
    const weights = active.reduce((sum, i) => sum + weight[i]!, 0);
    const satisfied = active.filter((i) => demand[i]! - allocation[i]! <= (left * weight[i]!) / weights);
    if (!satisfied.length) {
      for (const i of active) allocation[i]! += (left * weight[i]!) / weights;
      break;
    }
    for (const i of satisfied) {
      left -= demand[i]! - allocation[i]!;
      allocation[i] = demand[i]!;
    }
    active = active.filter((i) => !satisfied.includes(i));
  }
  return allocation;
}

function jain(values: number[]): number {
  const sum = values.reduce((s, v) => s + v, 0);
  const squares = values.reduce((s, v) => s + v * v, 0);
  return (sum * sum) / (values.length * squares);
}

async function main() {
  const embedded = env().DATABASE_URL ? null : await startEmbeddedPostgres({});
  const url = env().DATABASE_URL ?? embedded!.url;
  const owner: pg.Pool = createOwnerPool(url, 2);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: url });
  const stamp = Date.now();
  const noisy = await seedTenant(owner, 'noisy', 'pro', stamp);
  const quiet: Tenant[] = [];
  for (let i = 1; i <= QUIET; i++) quiet.push(await seedTenant(owner, `quiet-${i}`, 'free', stamp));
  const tenants = [noisy, ...quiet];

  const model = await startLocalModelServer({ port: 0, latency: LATENCY });
  const gateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: model.url, timeoutMs: 30_000 }) });
  const sandbox = createQuickJsSandbox();
  // Streamed text is not written (streamFlushMs 0): on a shared embedded database its writes, not the
  // workers, would be the bottleneck, and what is measured here is the claim order.
  const deps = { gateway, sandbox, egressAdapters: nodeEgressAdapters, leaseMs: env().RUN_LEASE_MS, streamFlushMs: 0 };
  const workers: RunWorker[] = [];
  const startWorkers = () => {
    for (let i = 0; i < WORKERS; i++) workers.push(startRunWorker({ ...deps, workerId: `fairness-${i}-${workers.length}`, concurrency: SLOTS, pollMs: POLL_MS }));
  };
  const stopWorkers = async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop(30_000)));
  };

  // Nominal capacity: a few runs executed one at a time.
  startWorkers();
  for (let i = 0; i < CALIBRATION_RUNS; i++) {
    await enqueue(noisy);
    await drain(owner, [noisy.actor.workspaceId], new Date(Date.now() + 60_000), 60_000);
  }
  const { rows: execRows } = await owner.query<{ ms: number }>(
    `SELECT extract(epoch FROM finished_at - claimed_at) * 1000 AS ms FROM runs WHERE workspace_id = $1 AND status = 'succeeded'`,
    [noisy.actor.workspaceId],
  );
  const execP50 = quantile(execRows.map((r) => Number(r.ms)), 0.5);
  const capacity = (WORKERS * SLOTS * 1000) / execP50;
  const quietRate = QUIET_SHARE * capacity;
  const noisyRate = NOISY_FACTOR * quietRate;

  // Solo: the quiet workspaces without the noisy one.
  const soloFrom = new Date((await dbNow(owner)).getTime() + WARM_UP_SECONDS * 1000);
  const soloStarted = await send(quiet.map((tenant) => ({ tenant, perSecond: quietRate })), SOLO_SECONDS);
  const soloTo = await dbNow(owner);
  await drain(owner, quiet.map((t) => t.actor.workspaceId), soloTo, 30_000);
  const solo = await runsCreatedBetween(owner, soloFrom, soloTo);

  // Noisy: the same quiet load beside the noisy workspace asking 20× as much.
  const noisyStart = await dbNow(owner);
  const noisyFrom = new Date(noisyStart.getTime() + WARM_UP_SECONDS * 1000);
  const load = [{ tenant: noisy, perSecond: noisyRate }, ...quiet.map((tenant) => ({ tenant, perSecond: quietRate }))];
  const noisyStarted = await send(load, NOISY_SECONDS);
  const noisyTo = await dbNow(owner);
  await drain(owner, quiet.map((t) => t.actor.workspaceId), noisyTo, 30_000);
  await stopWorkers();
  const beside = await runsCreatedBetween(owner, noisyFrom, noisyTo);
  const { rows: finishedRows } = await owner.query<{ workspace_id: string; n: number }>(
    `SELECT workspace_id, count(*)::int AS n FROM runs WHERE finished_at >= $1 AND finished_at < $2 AND status = 'succeeded' GROUP BY workspace_id`,
    [noisyFrom, noisyTo],
  );
  const windowSeconds = (noisyTo.getTime() - noisyFrom.getTime()) / 1000;
  const { rows: meanRows } = await owner.query<{ ms: number }>(
    `SELECT avg(extract(epoch FROM finished_at - claimed_at) * 1000) AS ms FROM runs WHERE finished_at >= $1 AND finished_at < $2 AND status = 'succeeded'`,
    [noisyFrom, noisyTo],
  );
  const meanExecSeconds = Number(meanRows[0]!.ms) / 1000;
  const finished = tenants.map((t) => finishedRows.find((r) => r.workspace_id === t.actor.workspaceId)?.n ?? 0);
  const served = finished.map((n) => n / windowSeconds);
  const windowCapacity = served.reduce((s, v) => s + v, 0);
  const asked = tenants.map((t) => (t === noisy ? noisyRate : quietRate));
  const demand = tenants.map((t, i) => Math.min(asked[i]!, t.cap / meanExecSeconds));
  const fair = maxMinFair(demand, tenants.map((t) => t.weight), windowCapacity);
  const shareError = tenants.map((_, i) => (Math.abs(served[i]! - fair[i]!) / windowCapacity) * 100);
  const jainIndex = jain(served.map((s, i) => s / fair[i]!));

  const waitMs = (rows: RunRow[], workspaceId: string) =>
    rows.filter((r) => r.workspace_id === workspaceId && r.claimed_at).map((r) => r.claimed_at!.getTime() - r.created_at.getTime());
  const latencyMs = (rows: RunRow[]) =>
    rows
      .filter((r) => quiet.some((t) => t.actor.workspaceId === r.workspace_id) && r.finished_at)
      .map((r) => r.finished_at!.getTime() - r.created_at.getTime());
  const quietSolo = latencyMs(solo);
  const quietNoisy = latencyMs(beside);
  const quietP99SoloMs = quantile(quietSolo, 0.99);
  const quietP99NoisyMs = quantile(quietNoisy, 0.99);
  const quietExec = (rows: RunRow[]) =>
    rows
      .filter((r) => quiet.some((t) => t.actor.workspaceId === r.workspace_id) && r.finished_at && r.claimed_at)
      .map((r) => r.finished_at!.getTime() - r.claimed_at!.getTime());
  const failed = [...solo, ...beside].filter((r) => r.status === 'failed').length;

  console.log(`fairness bench, database ${embedded ? 'embedded PGlite' : 'DATABASE_URL'}, local model ttft ${LATENCY.ttftMs} ms + ${LATENCY.tokensPerSecond} tokens/s`);
  console.log(`workers: ${WORKERS} claim loops × ${SLOTS} slots; one run alone takes ${fixed(execP50, 0)} ms: nominal capacity ${fixed(capacity, 2)} runs/s`);
  console.log(`load: 4 quiet × ${fixed(quietRate, 2)} runs/s (${QUIET_SHARE * 100}% of capacity each), noisy ${fixed(noisyRate, 2)} runs/s (${NOISY_FACTOR}×)`);
  console.log(`solo ${SOLO_SECONDS} s (${soloStarted} runs started), beside the noisy one ${NOISY_SECONDS} s (${noisyStarted} started); first ${WARM_UP_SECONDS} s of each left out`);
  console.log(`measured window: ${fixed(windowSeconds)} s, ${fixed(windowCapacity, 2)} runs/s finished, mean execution ${fixed(meanExecSeconds * 1000, 0)} ms`);
  console.log(`${'workspace'.padEnd(10)} ${'weight'.padStart(6)} ${'cap'.padStart(4)} ${'wait p50'.padStart(9)} ${'wait p99'.padStart(9)} ${'asked/s'.padStart(8)} ${'capped/s'.padStart(8)} ${'served/s'.padStart(8)} ${'share %'.padStart(8)} ${'fair %'.padStart(7)} ${'error pp'.padStart(8)}`);
  tenants.forEach((tenant, i) => {
    const waits = waitMs(beside, tenant.actor.workspaceId);
    console.log(
      `${tenant.name.padEnd(10)} ${String(tenant.weight).padStart(6)} ${String(tenant.cap).padStart(4)} ${fixed(quantile(waits, 0.5), 0).padStart(9)} ${fixed(quantile(waits, 0.99), 0).padStart(9)} ` +
        `${fixed(asked[i]!, 2).padStart(8)} ${fixed(demand[i]!, 2).padStart(8)} ${fixed(served[i]!, 2).padStart(8)} ${fixed((served[i]! / windowCapacity) * 100).padStart(8)} ` +
        `${fixed((fair[i]! / windowCapacity) * 100).padStart(7)} ${fixed(shareError[i]!, 2).padStart(8)}`,
    );
  });
  const backlog = beside.filter((r) => r.workspace_id === noisy.actor.workspaceId && !r.claimed_at).length;
  console.log(`noisy runs still queued at the end of the window: ${backlog} (its waits are of the runs claimed)`);
  console.log(`Jain's index over served/fair: ${jainIndex.toFixed(4)}; runs failed: ${failed}`);
  console.log(`quiet p99 run latency (wait + execution, pooled over ${QUIET}): solo ${fixed(quietP99SoloMs, 0)} ms (${quietSolo.length} runs), ` +
    `beside the noisy one ${fixed(quietP99NoisyMs, 0)} ms (${quietNoisy.length} runs), ratio ${fixed(quietP99NoisyMs / quietP99SoloMs, 2)}`);
  console.log(`  of which execution alone (claimed → finished) p50/p99: solo ${fixed(quantile(quietExec(solo), 0.5), 0)}/${fixed(quantile(quietExec(solo), 0.99), 0)} ms, ` +
    `beside the noisy one ${fixed(quantile(quietExec(beside), 0.5), 0)}/${fixed(quantile(quietExec(beside), 0.99), 0)} ms`);

  await sandbox.close();
  await model.stop();
  await disconnectPrisma();
  await owner.end();
  await embedded?.stop();
  console.log(
    JSON.stringify({
      jainIndex: Number(jainIndex.toFixed(4)),
      quietP99SoloMs: Math.round(quietP99SoloMs),
      quietP99NoisyMs: Math.round(quietP99NoisyMs),
      maxShareErrorPct: Number(Math.max(...shareError).toFixed(2)),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
