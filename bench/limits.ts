// What do budgets (and rate limits) add to one model call? Method: a fresh
// embedded database reached as the app reaches it (or DATABASE_URL), a workspace
// with a hard workspace budget and a soft budget on its agent (so a call checks
// and reserves on two budgets), and N calls' worth of governance work, each timed:
//   reserve+check   the call's worst case from its prompt and output cap
//                   (estimateCallCost) plus reserve_budget(): lock both budgets'
//                   month rows, check the hard one, reserve, record the
//                   reservation (one statement), plus the tokens-per-minute
//                   check (take_rate_limit(), one statement) before it
//   meter+settle    record_usage_event() with the reservation: the usage row and
//                   the settlement in one statement
//   meter alone     the same usage row in a workspace without budgets (what
//                   metering cost before budgets), interleaved with the above
// No model is called: the figures are the governance work alone. Prints a table;
// the last line is JSON.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { createAgent } from '../server/agents/agents';
import { NEW_AGENT_DEFAULTS } from '../server/agents/new-agent-defaults';
import { env, setRuntimeEnv } from '../server/env';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { migrate } from '../server/db/migrator';
import { createOwnerPool } from '../server/db/owner-pool';
import { disconnectPrisma } from '../server/db/prisma';
import { withWorkspace } from '../server/db/with-workspace';
import { reserveCallBudget } from '../server/governance/budget-reservation';
import { createBudget } from '../server/governance/budgets';
import { checkAndTakeTokens, settleTokens, type RateLimitTake } from '../server/governance/rate-limits';
import { estimateCallCost } from '../server/llm/call-cost-estimate';
import { DEFAULT_MAX_OUTPUT_TOKENS } from '../server/llm/gateway';
import { recordUsage } from '../server/llm/usage-ledger';
import { signUp } from '../server/tenancy/accounts';
import { createWorkspace } from '../server/tenancy/workspaces';
import { liftLimits } from '../server/testing/lifted-limits';

const N = 1000;
const WARM_UP = 100;

const messages = [
  { role: 'system', content: 'Refunds are paid back within 5 business days.\nShipping is free above 50 EUR.' },
  { role: 'user', content: 'How long until my refund is paid?' },
];

/**
 * The gateway's rate-limit check before a call: the planned tokens (prompt plus
 * output cap) taken from the workspace's model tokens per minute in one statement.
 * Its settlement to the actual tokens happens after the call, with the metering.
 */
function rateLimitCheck(workspaceId: string, plannedTokens: number): Promise<RateLimitTake> {
  return checkAndTakeTokens(workspaceId, plannedTokens);
}

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
  const user = await signUp({ email: `limits-bench-${Date.now()}@bench.test`, name: 'Bench', password: 'bench password 1' });
  const budgeted = await createWorkspace(user.id, { name: 'Budgeted' });
  const plain = await createWorkspace(user.id, { name: 'No budgets' });
  const actor = { userId: user.id, workspaceId: budgeted.id, role: 'owner' as const };
  const agentId = await withWorkspace(budgeted.id, async (tx) => {
    const agent = await createAgent(tx, actor, { ...NEW_AGENT_DEFAULTS, providerId: null, name: 'Bench agent', changeNote: '' });
    await createBudget(tx, actor, { name: 'Workspace', agentId: null, monthlyLimitUsd: 1_000_000, enforcement: 'hard' });
    await createBudget(tx, actor, { name: 'Agent', agentId: agent.id, monthlyLimitUsd: 1, enforcement: 'soft' });
    return agent.id;
  });
  // The bench times the check, not a plan: the minute's token limit is lifted out of the way.
  await liftLimits(budgeted.id, user.id);

  const usage = (workspaceId: string, reservationId: string | null) =>
    recordUsage({ workspaceId, agentId: workspaceId === budgeted.id ? agentId : null, providerId: null, provider: 'local', model: 'enclave-local-chat', taskType: 'chat', inputTokens: 30, outputTokens: 12, costUsd: 0.0000078, priceKnown: true, latencyMs: 1, status: 'ok', reservationId });

  const reserve: number[] = [];
  const settle: number[] = [];
  const meterAlone: number[] = [];
  for (let i = 0; i < WARM_UP + N; i++) {
    const t0 = performance.now();
    const estimate = estimateCallCost({ model: 'enclave-local-chat', messages, maxOutputTokens: DEFAULT_MAX_OUTPUT_TOKENS });
    const tokens = await rateLimitCheck(budgeted.id, estimate.inputTokens + estimate.maxOutputTokens);
    const reservationId = await reserveCallBudget({ workspaceId: budgeted.id, agentId }, estimate.worstCaseUsd, 120_000);
    const t1 = performance.now();
    await usage(budgeted.id, reservationId);
    await settleTokens(tokens, 42);
    const t2 = performance.now();
    await usage(plain.id, null);
    const t3 = performance.now();
    if (i < WARM_UP) continue;
    if (!reservationId) throw new Error('nothing was reserved: the budgets did not apply');
    reserve.push(t1 - t0);
    settle.push(t2 - t1);
    meterAlone.push(t3 - t2);
  }

  const { rows } = await owner.query<{ reserved: string; held: number }>(
    `SELECT sum(reserved_usd)::text AS reserved, (SELECT count(*)::int FROM budget_reservations WHERE workspace_id = $1) AS held
     FROM budget_periods WHERE workspace_id = $1`,
    [budgeted.id],
  );
  const row = (name: string, s: number[]) => `${name.padEnd(30)} ${quantile(s, 0.5).toFixed(3).padStart(8)} ${quantile(s, 0.99).toFixed(3).padStart(8)}`;
  console.log(`limits: ${N} calls' governance work (after ${WARM_UP} warm-up), two budgets per call, database ${embedded ? 'embedded PGlite' : 'DATABASE_URL'}`);
  console.log('rate-limit check: take_rate_limit() for the planned tokens, inside reserve+check; its settlement inside meter+settle');
  console.log(`${'step'.padEnd(30)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  console.log(row('reserve+check', reserve));
  console.log(row('meter+settle', settle));
  console.log(row('meter alone (no budgets)', meterAlone));
  const settleP50 = quantile(settle, 0.5) - quantile(meterAlone, 0.5);
  console.log(`${'settle overhead (p50 diff)'.padEnd(30)} ${settleP50.toFixed(3).padStart(8)}`);
  console.log(`left reserved after settling every call: ${rows[0]?.reserved} USD in ${rows[0]?.held} reservations (expected 0)`);

  await disconnectPrisma();
  await owner.end();
  await embedded?.stop();
  console.log(
    JSON.stringify({
      reserveAndCheckP50Ms: Number(quantile(reserve, 0.5).toFixed(3)),
      reserveAndCheckP99Ms: Number(quantile(reserve, 0.99).toFixed(3)),
      settleOverheadP50Ms: Number(settleP50.toFixed(3)),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
