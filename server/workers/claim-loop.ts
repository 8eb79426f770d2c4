// A claim loop for Postgres-backed job queues: claims a job and works on it, up
// to `concurrency` at once, polling when the queue is empty. stop() stops
// claiming and waits a grace period for the jobs in hand (the rest are taken
// over elsewhere once their leases expire). Runs and ingestion each start one.
import { logger } from '../observability/logger';

export type ClaimLoopOptions<J extends { id: string }> = {
  workerId: string;
  concurrency: number;
  pollMs: number;
  /** The next job, leased to this worker; null when none is waiting. */
  claim: () => Promise<J | null>;
  work: (job: J) => Promise<void>;
  /** How log lines name the loop, its jobs and a job that threw, e.g. { worker: 'run worker', job: 'run', idField: 'runId', failed: 'run execution failed' }. */
  names: { worker: string; job: string; idField: string; failed: string };
};

export type ClaimLoop = {
  workerId: string;
  /** Stops claiming; waits up to `graceMs` for the jobs in hand. */
  stop(graceMs?: number): Promise<void>;
};

export function startClaimLoop<J extends { id: string }>(options: ClaimLoopOptions<J>): ClaimLoop {
  const { workerId, names } = options;
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
      let claimed: J | null = null;
      try {
        claimed = await options.claim();
      } catch (error) {
        logger.warn({ workerId, reason: error instanceof Error ? error.message : String(error) }, `claiming a ${names.job} failed`);
      }
      if (!claimed) {
        await sleep(options.pollMs);
        continue;
      }
      const job = claimed;
      const working = options
        .work(job)
        .catch((error: unknown) => logger.error({ [names.idField]: job.id, reason: String(error) }, names.failed))
        .finally(() => inHand.delete(working));
      inHand.add(working);
    }
  }

  const looping = loop();
  logger.info({ workerId, concurrency: options.concurrency }, `${names.worker} started`);
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
