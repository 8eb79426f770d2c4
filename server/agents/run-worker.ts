// The run worker: claims runs (claim-order.ts) and executes them (run-loop.ts),
// up to `concurrency` at once (server/workers/claim-loop.ts). It runs inside the
// app and in each `npm run worker` process; stop() waits a grace period for the runs in hand.
import { randomUUID } from 'node:crypto';
import { startClaimLoop, type ClaimLoop } from '../workers/claim-loop';
import { claimNextRun } from './claim-order';
import { executeRun, type RunLoopDeps } from './run-loop';

export type RunWorkerOptions = Omit<RunLoopDeps, 'workerId'> & {
  workerId?: string;
  concurrency: number;
  pollMs: number;
};

export type RunWorker = ClaimLoop;

export function startRunWorker(options: RunWorkerOptions): RunWorker {
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const deps: RunLoopDeps = { ...options, workerId };
  return startClaimLoop({
    workerId,
    concurrency: options.concurrency,
    pollMs: options.pollMs,
    claim: () => claimNextRun(workerId, options.leaseMs),
    work: (claimed) => executeRun(deps, claimed),
    names: { worker: 'run worker', job: 'run', idField: 'runId', failed: 'run execution failed' },
  });
}
