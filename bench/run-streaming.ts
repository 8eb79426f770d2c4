// What does streaming a model step's text to the database cost a run? Method: a
// fresh embedded database reached as the app reaches it (or DATABASE_URL), one
// workspace, an agent without tools on the local model paced at 50 tokens/s
// (an answer of ~45 tokens, so ~0.9 s of streaming per step), and the same run
// executed N times each way, interleaved so both see the same machine state:
//   off       RUN_STREAM_FLUSH_MS=0: nothing written until the step row
//   100 ms    the default: a chunk every ~100 ms (one append statement each)
// then the same with 4 runs at once, and the append statement alone, timed K
// times against a running run. Overhead = streaming quantile − off quantile.
// Prints a table; the last line is JSON. Never pass/fail.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { createAgent } from '../server/agents/agents';
import { claimNextRun } from '../server/agents/claim-order';
import { NEW_AGENT_DEFAULTS } from '../server/agents/new-agent-defaults';
import { executeRun, type RunLoopDeps } from '../server/agents/run-loop';
import { startRun } from '../server/agents/runs';
import { createQuickJsSandbox } from '../server/agents/tools/javascript-sandbox';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { migrate } from '../server/db/migrator';
import { createOwnerPool } from '../server/db/owner-pool';
import { disconnectPrisma } from '../server/db/prisma';
import { insertStreamChunk } from '../server/db/stream-chunk-writer';
import { withWorkspace } from '../server/db/with-workspace';
import { env, setRuntimeEnv } from '../server/env';
import { createGateway, systemClock } from '../server/llm/gateway';
import { startLocalModelServer } from '../server/llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../server/net/node-egress-adapters';
import { signUp } from '../server/tenancy/accounts';
import type { Actor } from '../server/tenancy/members';
import { createWorkspace } from '../server/tenancy/workspaces';
import { liftLimits } from '../server/testing/lifted-limits';

const N = 12;
const CONCURRENT = 4;
const K = 300;
const TOKENS_PER_SECOND = 50;
const QUESTION = 'Tell me about the Orion launch and its crews';

const quantile = (samples: number[], q: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function main() {
  const embedded = env().DATABASE_URL ? null : await startEmbeddedPostgres({});
  const url = env().DATABASE_URL ?? embedded!.url;
  const owner: pg.Pool = createOwnerPool(url, 2);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: url });
  const user = await signUp({ email: `stream-bench-${Date.now()}@bench.test`, name: 'Bench', password: 'bench password 1' });
  const workspace = await createWorkspace(user.id, { name: 'Streaming bench' });
  await liftLimits(workspace.id, user.id);
  const actor: Actor = { userId: user.id, workspaceId: workspace.id, role: 'owner' };
  const agent = await withWorkspace(workspace.id, (tx) =>
    createAgent(tx, actor, {
      ...NEW_AGENT_DEFAULTS,
      providerId: null,
      name: 'Orion guide',
      description: '',
      changeNote: '',
      variables: [],
      systemPrompt:
        'The Orion launch is planned for 14 March from the northern launch site.\n' +
        'Orion launch crews train for nine months before each launch.\n' +
        'The Orion launch budget is 2.5 million EUR, shared by three crews.',
    }),
  );

  const model = await startLocalModelServer({ port: 0, latency: { tokensPerSecond: TOKENS_PER_SECOND } });
  const gateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: model.url, timeoutMs: 30_000 }) });
  const sandbox = createQuickJsSandbox();
  const deps = (streamFlushMs: number, workerId: string): RunLoopDeps => ({ gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId, leaseMs: 30_000, streamFlushMs });

  /** Starts `count` runs, then claims and executes them at once; the time of each, from claim to finish. */
  async function runs(count: number, streamFlushMs: number): Promise<number[]> {
    for (let i = 0; i < count; i++) await withWorkspace(workspace.id, (tx) => startRun(tx, actor, { agentId: agent.id, input: QUESTION }));
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const workerId = `bench-${streamFlushMs}-${i}`;
        const t0 = performance.now();
        const claimed = await claimNextRun(workerId, 30_000);
        await executeRun(deps(streamFlushMs, workerId), claimed!);
        times.push(performance.now() - t0);
      }),
    );
    return times;
  }

  await runs(2, 0);
  await runs(2, 100);
  const single: Record<string, number[]> = { off: [], on: [] };
  const parallel: Record<string, number[]> = { off: [], on: [] };
  for (let i = 0; i < N; i++) {
    const order = i % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const mode of order) single[mode]!.push(...(await runs(1, mode === 'on' ? 100 : 0)));
  }
  for (let i = 0; i < N / 2; i++) {
    const order = i % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const mode of order) parallel[mode]!.push(...(await runs(CONCURRENT, mode === 'on' ? 100 : 0)));
  }

  // The append statement alone, against a run this bench holds the lease of.
  const held = await withWorkspace(workspace.id, (tx) => startRun(tx, actor, { agentId: agent.id, input: QUESTION }));
  const claimed = (await claimNextRun('bench-append', 600_000))!;
  const append: number[] = [];
  for (let seq = 0; seq < K; seq++) {
    const t0 = performance.now();
    await insertStreamChunk({ workspaceId: workspace.id, runId: held.id, workerId: 'bench-append', attempt: claimed.attemptCount, stepIndex: 0, seq, text: 'From the instructions: ' });
    append.push(performance.now() - t0);
  }
  const tenantTx: number[] = [];
  for (let i = 0; i < K; i++) {
    const t0 = performance.now();
    await withWorkspace(workspace.id, (tx) => tx.$queryRaw`SELECT 1 FROM runs WHERE workspace_id = ${workspace.id}::uuid AND id = ${held.id}::uuid`);
    tenantTx.push(performance.now() - t0);
  }

  const row = (name: string, s: number[]) => `${name.padEnd(40)} ${quantile(s, 0.5).toFixed(1).padStart(8)} ${quantile(s, 0.9).toFixed(1).padStart(8)} ${String(s.length).padStart(5)}`;
  console.log(`run streaming: local model at ${TOKENS_PER_SECOND} tokens/s, database ${embedded ? 'embedded PGlite' : 'DATABASE_URL'}`);
  console.log(`${'measure'.padEnd(40)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'n'.padStart(5)}`);
  console.log(row('run, streaming off', single.off!));
  console.log(row('run, streaming every 100 ms', single.on!));
  console.log(row(`run of ${CONCURRENT} at once, streaming off`, parallel.off!));
  console.log(row(`run of ${CONCURRENT} at once, streaming every 100 ms`, parallel.on!));
  console.log(row('one chunk append (one statement)', append));
  console.log(row('an empty withWorkspace() read, for scale', tenantTx));
  const overhead = quantile(single.on!, 0.5) - quantile(single.off!, 0.5);
  const overheadParallel = quantile(parallel.on!, 0.5) - quantile(parallel.off!, 0.5);
  console.log(`${'streaming overhead per run (p50)'.padEnd(40)} ${overhead.toFixed(1).padStart(8)}`);
  console.log(`${`… with ${CONCURRENT} runs at once (p50)`.padEnd(40)} ${overheadParallel.toFixed(1).padStart(8)}`);

  await sandbox.close();
  await model.stop();
  await disconnectPrisma();
  await owner.end();
  await embedded?.stop();
  console.log(JSON.stringify({ overheadP50Ms: Number(overhead.toFixed(1)), overheadConcurrentP50Ms: Number(overheadParallel.toFixed(1)), appendP50Ms: Number(quantile(append, 0.5).toFixed(2)) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
