// A separate process hammering one workspace's rate limit, for the test that two
// processes share the limit exactly: `tsx server/testing/rate-limit-hammer.ts
// <workspaceId> <kind> <attempts> <concurrency> [startAtEpochMs]` connects, waits
// for the start time (so several processes begin together), then prints
// {"admitted":n,"refused":m}.
import { closeStatementPool } from '../db/statement-pool';
import { LimitExceeded } from '../domain-errors';
import { takeRateLimit, type RateLimitKind } from '../governance/rate-limits';

async function main(): Promise<void> {
  const [workspaceId = '', kind = 'api_requests', attempts = '100', concurrency = '8', startAt = '0'] = process.argv.slice(2);
  // Connected and planned before the start: taking nothing counts nothing.
  await Promise.all(Array.from({ length: Number(concurrency) }, () => takeRateLimit(workspaceId, kind as RateLimitKind, 0)));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  let admitted = 0;
  let refused = 0;
  let next = 0;
  const total = Number(attempts);
  const lane = async () => {
    while (next < total) {
      next += 1;
      try {
        await takeRateLimit(workspaceId, kind as RateLimitKind, 1);
        admitted += 1;
      } catch (error) {
        if (!(error instanceof LimitExceeded)) throw error;
        refused += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, lane));
  await closeStatementPool();
  process.stdout.write(`${JSON.stringify({ admitted, refused })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
