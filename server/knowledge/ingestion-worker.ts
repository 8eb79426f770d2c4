// The ingestion worker: claims documents (ingestion-claim.ts) and ingests them
// (ingest-document.ts), up to `concurrency` at once (server/workers/claim-loop.ts).
// It is separate from the run worker, so a large document never holds a run
// slot; its batches are short transactions, so it never holds the database.
import { randomUUID } from 'node:crypto';
import { startClaimLoop, type ClaimLoop } from '../workers/claim-loop';
import { claimNextDocument } from './ingestion-claim';
import { ingestDocument, type IngestionDeps } from './ingest-document';

export type IngestionWorkerOptions = Omit<IngestionDeps, 'workerId'> & { workerId?: string; concurrency: number; pollMs: number };

export type IngestionWorker = ClaimLoop;

export function startIngestionWorker(options: IngestionWorkerOptions): IngestionWorker {
  const workerId = options.workerId ?? `ingest-${randomUUID()}`;
  const deps: IngestionDeps = { ...options, workerId };
  return startClaimLoop({
    workerId,
    concurrency: options.concurrency,
    pollMs: options.pollMs,
    claim: () => claimNextDocument(workerId, options.leaseMs),
    work: (claimed) => ingestDocument(deps, claimed),
    names: { worker: 'ingestion worker', job: 'document', idField: 'documentId', failed: 'ingestion failed' },
  });
}
