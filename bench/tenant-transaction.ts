// What does database-enforced tenancy cost per request? Method: a fresh embedded
// database reached as the app reaches it (Unix socket, gate, secret), or
// DATABASE_URL; two workspaces with 200 memberships' worth of audit rows each;
// then N sequential and N concurrent (8 at a time) calls of
//   bare     – one owner-pool query, no transaction, no RLS
//   tenant   – withWorkspace(): BEGIN, set role + app.workspace_id, the same
//              query under RLS, COMMIT
// Prints median / p95 latency and throughput. Figures, not pass/fail.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { setRuntimeEnv, env } from '../server/env';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres';
import { migrate } from '../server/db/migrator';
import { createOwnerPool } from '../server/db/owner-pool';
import { disconnectPrisma } from '../server/db/prisma';
import { withWorkspace } from '../server/db/with-workspace';
import { recordAudit } from '../server/observability/audit';
import { signUp } from '../server/tenancy/accounts';
import { createWorkspace } from '../server/tenancy/workspaces';

const N = 400;
const CONCURRENCY = 8;

function stats(samples: number[], wallMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5).toFixed(2), p95: at(0.95).toFixed(2), perSecond: Math.round((samples.length / wallMs) * 1000) };
}

async function measure(run: () => Promise<unknown>, concurrency: number) {
  const samples: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < N) {
        const t0 = performance.now();
        await run();
        samples.push(performance.now() - t0);
      }
    }),
  );
  return stats(samples, performance.now() - started);
}

async function main() {
  const embedded = env().DATABASE_URL ? null : await startEmbeddedPostgres({});
  const url = env().DATABASE_URL ?? embedded!.url;
  const owner: pg.Pool = createOwnerPool(url, 8);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: url });

  const ids: string[] = [];
  for (const name of ['Bench A', 'Bench B']) {
    const user = await signUp({ email: `${name.replace(' ', '.').toLowerCase()}@bench.test`, name, password: 'bench password 1' });
    const ws = await createWorkspace(user.id, { name });
    await withWorkspace(ws.id, async (tx) => {
      for (let i = 0; i < 200; i++) await recordAudit(tx, { workspaceId: ws.id, actorUserId: user.id, action: 'bench.seed' });
    });
    ids.push(ws.id);
  }
  const workspaceId = ids[0]!;

  const bare = () => owner.query('SELECT count(*) FROM audit_events WHERE workspace_id = $1', [workspaceId]);
  const tenant = () => withWorkspace(workspaceId, (tx) => tx.auditEvent.count({ where: { workspaceId } }));

  const rows = [
    { call: 'bare query', mode: 'sequential', ...(await measure(bare, 1)) },
    { call: 'withWorkspace', mode: 'sequential', ...(await measure(tenant, 1)) },
    { call: 'bare query', mode: `${CONCURRENCY} concurrent`, ...(await measure(bare, CONCURRENCY)) },
    { call: 'withWorkspace', mode: `${CONCURRENCY} concurrent`, ...(await measure(tenant, CONCURRENCY)) },
  ];
  console.log(`tenant-transaction: ${N} calls each, database ${embedded ? 'embedded PGlite' : 'DATABASE_URL'}`);
  console.log('call            mode           median ms  p95 ms  calls/s');
  for (const r of rows) {
    console.log(
      `${r.call.padEnd(15)} ${r.mode.padEnd(14)} ${r.median.padStart(9)} ${r.p95.padStart(7)} ${String(r.perSecond).padStart(8)}`,
    );
  }
  await disconnectPrisma();
  await owner.end();
  await embedded?.stop();
}

await main();
