// What does the gateway add to a model call? Method: a fresh embedded database
// reached as the app reaches it (or DATABASE_URL), one workspace with no
// providers (so calls go to the built-in local model, started here at zero
// latency), and the same chat request made N times each way, interleaved
// (direct, gateway, direct, gateway…) so both see the same machine state:
//   direct   the openai SDK straight to the local model
//   gateway  gateway.chatCompletion(): routing from the cached workspace config,
//            the same SDK call, the cost from the price table, and the usage row
//            (one statement: record_usage_event() sets role + workspace for its own transaction, then INSERTs under RLS)
// Overhead = gateway quantile − direct quantile. Prints a table; the last line is JSON.
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { env, setRuntimeEnv } from '../server/env';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { migrate } from '../server/db/migrator';
import { createOwnerPool } from '../server/db/owner-pool';
import { disconnectPrisma } from '../server/db/prisma';
import { createGateway, systemClock } from '../server/llm/gateway';
import { recordUsage } from '../server/llm/usage-ledger';
import { startLocalModelServer } from '../server/llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../server/net/node-egress-adapters';
import { signUp } from '../server/tenancy/accounts';
import { createWorkspace } from '../server/tenancy/workspaces';
import { liftLimits } from '../server/testing/lifted-limits';

const N = 1000;
const WARM_UP = 100;

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Refunds are paid back within 5 business days.\nShipping is free above 50 EUR.' },
  { role: 'user', content: 'How long until my refund is paid?' },
];

const quantile = (samples: number[], q: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

async function main() {
  const embedded = env().DATABASE_URL ? null : await startEmbeddedPostgres({});
  const url = env().DATABASE_URL ?? embedded!.url;
  const owner: pg.Pool = createOwnerPool(url, 2);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: url });
  const user = await signUp({ email: `gateway-bench-${Date.now()}@bench.test`, name: 'Bench', password: 'bench password 1' });
  const workspace = await createWorkspace(user.id, { name: 'Gateway bench' });
  await liftLimits(workspace.id, user.id);

  const model = await startLocalModelServer({ port: 0 });
  const direct = new OpenAI({ baseURL: model.url, apiKey: 'none', maxRetries: 0 });
  const gateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: model.url, timeoutMs: 30_000 }) });

  const viaSdk = () => direct.chat.completions.create({ model: 'enclave-local-chat', messages });
  const viaGateway = () => gateway.chatCompletion({ workspaceId: workspace.id, messages });
  const meteringOnly = () =>
    recordUsage({ workspaceId: workspace.id, providerId: null, provider: 'local', model: 'enclave-local-chat', taskType: 'chat', inputTokens: 30, outputTokens: 12, costUsd: 0.0000078, priceKnown: true, latencyMs: 1, status: 'ok' });

  for (let i = 0; i < WARM_UP; i++) {
    await viaSdk();
    await viaGateway();
  }
  const sdk: number[] = [];
  const gw: number[] = [];
  const metering: number[] = [];
  for (let i = 0; i < N; i++) {
    if (i % 2) {
      sdk.push(await timed(viaSdk));
      gw.push(await timed(viaGateway));
    } else {
      gw.push(await timed(viaGateway));
      sdk.push(await timed(viaSdk));
    }
    if (i % 4 === 0) metering.push(await timed(meteringOnly));
  }

  const row = (name: string, s: number[]) => `${name.padEnd(28)} ${quantile(s, 0.5).toFixed(3).padStart(8)} ${quantile(s, 0.99).toFixed(3).padStart(8)}`;
  console.log(`gateway: ${N} interleaved calls each way, local model at zero latency, database ${embedded ? 'embedded PGlite' : 'DATABASE_URL'}`);
  console.log(`${'call'.padEnd(28)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  console.log(row('direct SDK call', sdk));
  console.log(row('through the gateway', gw));
  console.log(row('usage row alone (metering)', metering));
  const ledger = await owner.query('SELECT count(*)::int AS n FROM usage_events WHERE workspace_id = $1', [workspace.id]);
  console.log(`usage rows written: ${ledger.rows[0].n} (expected ${N + WARM_UP + metering.length})`);
  const overheadP50 = quantile(gw, 0.5) - quantile(sdk, 0.5);
  const overheadP99 = quantile(gw, 0.99) - quantile(sdk, 0.99);
  console.log(`${'gateway overhead'.padEnd(28)} ${overheadP50.toFixed(3).padStart(8)} ${overheadP99.toFixed(3).padStart(8)}`);

  await model.stop();
  await disconnectPrisma();
  await owner.end();
  await embedded?.stop();
  console.log(JSON.stringify({ gatewayOverheadP50Ms: Number(overheadP50.toFixed(3)), gatewayOverheadP99Ms: Number(overheadP99.toFixed(3)) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
