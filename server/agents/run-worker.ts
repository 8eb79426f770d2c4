// A worker loop: claims runs (claim-order.ts) and executes them (run-loop.ts),
// up to `concurrency` at once, polling when the queue is empty. It runs inside
// the app and in each `npm run worker` process; stop() waits a grace period for the runs in hand.
import { randomUUID } from 'node:crypto';
import { logger } from '../observability/logger';
import { claimNextRun } from './claim-order';
import { executeRun, type RunLoopDeps } from './run-loop';

export type RunWorkerOptions = Omit<RunLoopDeps, 'workerId'> & {
  workerId?: string;
  concurrency: number;
  pollMs: number;
};

export type RunWorker = {
  workerId: string;
  /** Stops claiming; waits up to `graceMs` for the runs in hand (the rest resume elsewhere once their leases expire). */
  stop(graceMs?: number): Promise<void>;
};

export function startRunWorker(options: RunWorkerOptions): RunWorker {
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const deps: RunLoopDeps = { ...options, workerId };
  const inHand = new Set<Promise<void>>();
  let stopping = false;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function loop() {
    while (!stopping) {
      if (inHand.size >= options.concurrency) {
        await Promise.race(inHand);
        continue;
      }
      let claimed = null;
      try {
        claimed = await claimNextRun(workerId, options.leaseMs);
      } catch (error) {
        logger.warn({ workerId, reason: error instanceof Error ? error.message : String(error) }, 'claiming a run failed');
      }
      if (!claimed) {
        await sleep(options.pollMs);
        continue;
      }
      const running = executeRun(deps, claimed)
        .catch((error: unknown) => logger.error({ runId: claimed.id, reason: String(error) }, 'run execution failed'))
        .finally(() => inHand.delete(running));
      inHand.add(running);
    }
  }

  const looping = loop();
  logger.info({ workerId, concurrency: options.concurrency }, 'run worker started');
  return {
    workerId,
    async stop(graceMs = 10_000) {
      stopping = true;
      wake?.();
      await looping;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled(inHand), grace]);
      clearTimeout(timer);
    },
  };
}
