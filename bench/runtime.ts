// What the platform adds to an agent's work. Method: a fresh embedded database
// reached as the app reaches it (or DATABASE_URL, e.g. PostgreSQL 15), 20
// workspaces each with an agent that has run_javascript, and local model servers
// at zero latency reached over HTTP through the openai SDK. Four measurements:
//   tenant tx  the same count as one bare owner-pool query and inside withWorkspace()
//   gateway    the same chat call made directly with the SDK and through the
//              gateway (routing, the call, cost, the usage row), interleaved;
//              overhead = gateway quantile − direct quantile; the usage row
//              written alone every 4th round shows the metering's own share
//   step       runs of 3 steps (model → run_javascript → model) claimed and
//              executed one at a time through claimNextRun() + executeRun(); the
//              model's HTTP exchanges (timed around fetch) and the sandbox's runs
//              are subtracted from the run's wall time (claim to finish) and the
//              rest is divided by its 3 steps: platform time per step
//   runs/s     queued runs of 3 steps drained by one run worker (the app's
//              RUN_WORKERS_IN_APP slots), from 1 workspace and from 20 at once
// Prints tables; the last line is one JSON object with the headline figures.
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { env, setRuntimeEnv } from '../server/env';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { migrate } from '../server/db/migrator';
import { createOwnerPool } from '../server/db/owner-pool';
import { disconnectPrisma } from '../server/db/prisma';
import { withWorkspace } from '../server/db/with-workspace';
import { createAgent } from '../server/agents/agents';
import { claimNextRun } from '../server/agents/claim-order';
import { NEW_AGENT_DEFAULTS } from '../server/agents/new-agent-defaults';
import { executeRun, type RunLoopDeps } from '../server/agents/run-loop';
import { startRunWorker } from '../server/agents/run-worker';
import { startRun } from '../server/agents/runs';
import { createQuickJsSandbox, type JavaScriptSandbox } from '../server/agents/tools/javascript-sandbox';
import { createGateway, systemClock, type Gateway } from '../server/llm/gateway';
import { startLocalModelServer } from '../server/llm/local-model/local-model-server';
import { recordUsage } from '../server/llm/usage-ledger';
import { nodeEgressAdapters } from '../server/net/node-egress-adapters';
import type { Actor } from '../server/tenancy/members';
import { signUp } from '../server/tenancy/accounts';
import { createWorkspace } from '../server/tenancy/workspaces';
import { liftLimits } from '../server/testing/lifted-limits';

const WORKSPACES = 20;
const TENANT_CALLS = 500;
const GATEWAY_CALLS = 1000;
const GATEWAY_WARM_UP = 100;
const STEP_RUNS = 150;
const STEP_WARM_UP = 10;
const THROUGHPUT_RUNS = 100;
const STEPS_PER_RUN = 3;
const RUN_PROMPT = 'use run_javascript with code 1+2';

const chatMessages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Refunds are paid back within 5 business days.\nShipping is free above 50 EUR.' },
  { role: 'user', content: 'How long until my refund is paid?' },
];

const quantile = (samples: readonly number[], q: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (value: number) => value.toFixed(3).padStart(9);
const round3 = (value: number) => Number(value.toFixed(3));

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/** Where the model and the tools spent their time during the run being measured. */
type Span = { kind: 'model' | 'tool'; start: number; end: number };
const spans: Span[] = [];

/**
 * Times every HTTP exchange with one model server, body included, so the step
 * measurement can subtract it. Only requests to `baseUrl` are timed; the SDK
 * reads globalThis.fetch when a client is created, so this is installed first.
 */
function timeModelExchanges(baseUrl: string): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(baseUrl)) return realFetch(input, init);
    const start = performance.now();
    const response = await realFetch(input, init);
    const body = await response.arrayBuffer();
    spans.push({ kind: 'model', start, end: performance.now() });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function timedSandbox(inner: JavaScriptSandbox): JavaScriptSandbox {
  return {
    async run(code, limits) {
      const start = performance.now();
      try {
        return await inner.run(code, limits);
      } finally {
        spans.push({ kind: 'tool', start, end: performance.now() });
      }
    },
    close: () => inner.close(),
  };
}

type Tenant = { actor: Actor; agentId: string };

async function seedTenants(): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  const stamp = Date.now();
  for (let i = 0; i < WORKSPACES; i++) {
    const user = await signUp({ email: `runtime-bench-${stamp}-${i}@bench.test`, name: `Bench ${i}`, password: 'bench password 1' });
    const workspace = await createWorkspace(user.id, { name: `Runtime bench ${i}` });
    await liftLimits(workspace.id, user.id);
    const actor: Actor = { userId: user.id, workspaceId: workspace.id, role: 'owner' };
    const agent = await withWorkspace(workspace.id, (tx) =>
      createAgent(tx, actor, { ...NEW_AGENT_DEFAULTS, providerId: null, name: 'Calculator', description: '', changeNote: '', tools: ['run_javascript'] }),
    );
    tenants.push({ actor, agentId: agent.id });
  }
  return tenants;
}

async function enqueue(tenant: Tenant): Promise<string> {
  const run = await withWorkspace(tenant.actor.workspaceId, (tx) => startRun(tx, tenant.actor, { agentId: tenant.agentId, input: RUN_PROMPT }));
  return run.id;
}

async function tenantTransaction(owner: pg.Pool, workspaceId: string) {
  const bare = () => owner.query('SELECT count(*) FROM runs WHERE workspace_id = $1', [workspaceId]);
  const tenant = () => withWorkspace(workspaceId, (tx) => tx.run.count({ where: { workspaceId } }));
  for (let i = 0; i < 50; i++) {
    await bare();
    await tenant();
  }
  const bareMs: number[] = [];
  const tenantMs: number[] = [];
  for (let i = 0; i < TENANT_CALLS; i++) {
    bareMs.push(await timed(bare));
    tenantMs.push(await timed(tenant));
  }
  return { bareMs, tenantMs };
}

async function gatewayOverhead(gateway: Gateway, modelUrl: string, workspaceId: string) {
  const direct = new OpenAI({ baseURL: modelUrl, apiKey: 'none', maxRetries: 0 });
  const viaSdk = () => direct.chat.completions.create({ model: 'enclave-local-chat', messages: chatMessages });
  const viaGateway = () => gateway.chatCompletion({ workspaceId, messages: chatMessages });
  for (let i = 0; i < GATEWAY_WARM_UP; i++) {
    await viaSdk();
    await viaGateway();
  }
  const meteringOnly = () =>
    recordUsage({ workspaceId, providerId: null, provider: 'local', model: 'enclave-local-chat', taskType: 'chat', inputTokens: 30, outputTokens: 12, costUsd: 0.0000078, priceKnown: true, latencyMs: 1, status: 'ok' });
  const sdk: number[] = [];
  const gw: number[] = [];
  const metering: number[] = [];
  for (let i = 0; i < GATEWAY_CALLS; i++) {
    if (i % 2) {
      sdk.push(await timed(viaSdk));
      gw.push(await timed(viaGateway));
    } else {
      gw.push(await timed(viaGateway));
      sdk.push(await timed(viaSdk));
    }
    if (i % 4 === 0) metering.push(await timed(meteringOnly));
  }
  return { sdk, gw, metering };
}

/** Per run: (wall time from claim to finish − model and tool time) / steps, and where the gaps fell. */
async function stepOverhead(deps: RunLoopDeps, owner: pg.Pool, tenant: Tenant) {
  const perStep: number[] = [];
  const before: number[] = [];
  const between: number[] = [];
  const after: number[] = [];
  const modelMs: number[] = [];
  const toolMs: number[] = [];
  for (let i = 0; i < STEP_WARM_UP + STEP_RUNS; i++) {
    const runId = await enqueue(tenant);
    spans.length = 0;
    const start = performance.now();
    const claimed = await claimNextRun(deps.workerId, deps.leaseMs);
    if (claimed?.id !== runId) throw new Error('the bench expected to claim the run it just queued');
    await executeRun(deps, claimed);
    const end = performance.now();
    if (i < STEP_WARM_UP) continue;
    const work = spans.reduce((sum, s) => sum + (s.end - s.start), 0);
    const steps = spans.length;
    if (steps !== STEPS_PER_RUN) throw new Error(`a run made ${steps} model/tool calls, expected ${STEPS_PER_RUN}`);
    perStep.push((end - start - work) / steps);
    before.push(spans[0]!.start - start);
    for (let s = 1; s < spans.length; s++) between.push(spans[s]!.start - spans[s - 1]!.end);
    after.push(end - spans.at(-1)!.end);
    for (const s of spans) (s.kind === 'model' ? modelMs : toolMs).push(s.end - s.start);
  }
  const { rows } = await owner.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM runs WHERE workspace_id = $1 AND status = 'succeeded'
       AND (SELECT count(*) FROM run_steps s WHERE s.run_id = runs.id) = $2`,
    [tenant.actor.workspaceId, STEPS_PER_RUN],
  );
  return { perStep, before, between, after, modelMs, toolMs, succeeded: rows[0]!.n };
}

/** Queues `perWorkspace` runs in each tenant, then times one run worker draining them. */
async function throughput(deps: Omit<RunLoopDeps, 'workerId'>, owner: pg.Pool, tenants: Tenant[], perWorkspace: number, concurrency: number) {
  const ids: string[] = [];
  for (let i = 0; i < perWorkspace; i++) for (const tenant of tenants) ids.push(await enqueue(tenant));
  const started = performance.now();
  const worker = startRunWorker({ ...deps, concurrency, pollMs: 20 });
  let finished = 0;
  while (finished < ids.length) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { rows } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) AND status NOT IN ('queued', 'running')`,
      [ids],
    );
    finished = rows[0]!.n;
  }
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const { rows } = await owner.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) AND status = 'succeeded'`,
    [ids],
  );
  return { runs: ids.length, seconds, perSecond: ids.length / seconds, succeeded: rows[0]!.n };
}

async function main() {
  const embedded = env().DATABASE_URL ? null : await startEmbeddedPostgres({});
  const url = env().DATABASE_URL ?? embedded!.url;
  const owner: pg.Pool = createOwnerPool(url, 2);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: url });
  const tenants = await seedTenants();
  const first = tenants[0]!;

  // Two identical model servers: the gateway section's calls are not timed around
  // fetch (both sides stay equal); the runs' model server is.
  const model = await startLocalModelServer({ port: 0 });
  const runModel = await startLocalModelServer({ port: 0 });
  timeModelExchanges(runModel.url);
  const gateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: model.url, timeoutMs: 30_000 }) });
  const runGateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: runModel.url, timeoutMs: 30_000 }) });
  const rawSandbox = createQuickJsSandbox();
  const sandbox = timedSandbox(rawSandbox);
  const loopDeps = { gateway: runGateway, sandbox, egressAdapters: nodeEgressAdapters, leaseMs: env().RUN_LEASE_MS };

  const tx = await tenantTransaction(owner, first.actor.workspaceId);
  const gw = await gatewayOverhead(gateway, model.url, first.actor.workspaceId);
  const step = await stepOverhead({ ...loopDeps, workerId: 'bench-step-worker' }, owner, tenants[1]!);
  const concurrency = env().RUN_WORKERS_IN_APP || 4;
  const one = await throughput(loopDeps, owner, [tenants[2]!], THROUGHPUT_RUNS, concurrency);
  const all = await throughput(loopDeps, owner, tenants, THROUGHPUT_RUNS / WORKSPACES, concurrency);

  const gatewayP50 = quantile(gw.gw, 0.5) - quantile(gw.sdk, 0.5);
  const gatewayP99 = quantile(gw.gw, 0.99) - quantile(gw.sdk, 0.99);
  const row = (name: string, s: readonly number[]) => `${name.padEnd(44)} ${ms(quantile(s, 0.5))} ${ms(quantile(s, 0.99))}`;
  console.log(`runtime bench, database ${embedded ? 'embedded PGlite' : 'DATABASE_URL'}, local model at zero latency`);
  console.log(`${'measurement'.padEnd(44)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
  console.log(row(`bare query (${TENANT_CALLS}×)`, tx.bareMs));
  console.log(row('same query in withWorkspace', tx.tenantMs));
  console.log(row(`direct SDK chat call (${GATEWAY_CALLS}× interleaved)`, gw.sdk));
  console.log(row('same call through the gateway', gw.gw));
  console.log(`${'gateway overhead'.padEnd(44)} ${ms(gatewayP50)} ${ms(gatewayP99)}`);
  console.log(row('  of which: the usage row alone (metering)', gw.metering));
  console.log(row(`platform time per step (${STEP_RUNS} runs × ${STEPS_PER_RUN})`, step.perStep));
  console.log(row('  claim → first model call', step.before));
  console.log(row('  call end → next call (meter, write, read)', step.between));
  console.log(row('  last call → run finished', step.after));
  console.log(row('  model HTTP exchange (subtracted)', step.modelMs));
  console.log(row('  run_javascript in the sandbox (subtracted)', step.toolMs));
  console.log(`step runs succeeded with ${STEPS_PER_RUN} steps: ${step.succeeded}/${STEP_RUNS + STEP_WARM_UP}`);
  console.log(`throughput: one run worker with ${concurrency} slots, 3-step runs queued beforehand`);
  for (const [name, t] of [['1 workspace', one], [`${WORKSPACES} workspaces`, all]] as const) {
    console.log(`  ${name.padEnd(14)} ${t.runs} runs in ${t.seconds.toFixed(2)} s = ${t.perSecond.toFixed(1)} runs/s (${t.succeeded} succeeded)`);
  }

  await rawSandbox.close();
  await model.stop();
  await runModel.stop();
  await disconnectPrisma();
  await owner.end();
  await embedded?.stop();
  console.log(
    JSON.stringify({
      gatewayOverheadP50Ms: round3(gatewayP50),
      gatewayOverheadP99Ms: round3(gatewayP99),
      stepOverheadP50Ms: round3(quantile(step.perStep, 0.5)),
      stepOverheadP99Ms: round3(quantile(step.perStep, 0.99)),
      runsPerSecond1ws: Number(one.perSecond.toFixed(1)),
      runsPerSecond20ws: Number(all.perSecond.toFixed(1)),
      withWorkspaceP50Ms: round3(quantile(tx.tenantMs, 0.5)),
      bareQueryP50Ms: round3(quantile(tx.bareMs, 0.5)),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
