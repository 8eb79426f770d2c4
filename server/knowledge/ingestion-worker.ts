// The ingestion worker loop: claims documents (ingestion-claim.ts) and ingests them
// (ingest-document.ts), up to `concurrency` at once, polling when the queue is
// empty. It is separate from the run worker, so a large document never holds a
// run slot; its batches are short transactions, so it never holds the database.
import { randomUUID } from 'node:crypto';
import { logger } from '../observability/logger';
import { claimNextDocument } from './ingestion-claim';
import { ingestDocument, type IngestionDeps } from './ingest-document';

export type IngestionWorkerOptions = Omit<IngestionDeps, 'workerId'> & { workerId?: string; concurrency: number; pollMs: number };

export type IngestionWorker = { workerId: string; stop(graceMs?: number): Promise<void> };

export function startIngestionWorker(options: IngestionWorkerOptions): IngestionWorker {
  const workerId = options.workerId ?? `ingest-${randomUUID()}`;
  const deps: IngestionDeps = { ...options, workerId };
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
        claimed = await claimNextDocument(workerId, options.leaseMs);
      } catch (error) {
        logger.warn({ workerId, reason: error instanceof Error ? error.message : String(error) }, 'claiming a document failed');
      }
      if (!claimed) {
        await sleep(options.pollMs);
        continue;
      }
      const ingesting = ingestDocument(deps, claimed)
        .catch((error: unknown) => logger.error({ documentId: claimed.id, reason: String(error) }, 'ingestion failed'))
        .finally(() => inHand.delete(ingesting));
      inHand.add(ingesting);
    }
  }

  const looping = loop();
  logger.info({ workerId, concurrency: options.concurrency }, 'ingestion worker started');
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
