// The ingestion worker of this process (the app's or an `npm run worker` process's):
// the process's gateway, real egress adapters, and the lease, poll and batch
// settings from the environment.
import { env } from '../env';
import { defaultGateway } from '../llm/default-gateway';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { startIngestionWorker, type IngestionWorker } from './ingestion-worker';

export function startProcessIngestionWorker(concurrency: number): IngestionWorker {
  const { RUN_LEASE_MS, RUN_POLL_MS, INGEST_BATCH_SIZE } = env();
  return startIngestionWorker({
    gateway: defaultGateway(),
    egressAdapters: nodeEgressAdapters,
    leaseMs: RUN_LEASE_MS,
    pollMs: RUN_POLL_MS,
    batchSize: INGEST_BATCH_SIZE,
    concurrency,
  });
}
