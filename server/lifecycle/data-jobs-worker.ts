// The data lifecycle's background work, in the app process or `npm run worker`:
// one claim loop builds requested exports, another sweeps workspaces whose
// retention is due. Both claim through SQL (migration 0022), so any number of
// processes share the work without doing it twice.
import { randomUUID } from 'node:crypto';
import { env } from '../env';
import { startClaimLoop, type ClaimLoop } from '../workers/claim-loop';
import { claimRetentionSweep, sweepWorkspace } from './retention-sweep';
import { buildExport, claimNextExport } from './workspace-exports';

export type DataJobsWorker = { stop(graceMs?: number): Promise<void> };

export function startDataJobsWorker(): DataJobsWorker {
  const { RETENTION_SWEEP_INTERVAL_MS, RETENTION_BATCH_SIZE, EXPORT_LEASE_MS, RUN_POLL_MS } = env();
  const workerId = `data-${randomUUID()}`;
  const leaseSeconds = Math.ceil(EXPORT_LEASE_MS / 1000);
  const exports: ClaimLoop = startClaimLoop({
    workerId,
    concurrency: 1,
    pollMs: Math.max(RUN_POLL_MS, 500),
    claim: () => claimNextExport(workerId, leaseSeconds),
    work: (job) => buildExport(job, workerId, leaseSeconds),
    names: { worker: 'export worker', job: 'export', idField: 'exportId', failed: 'export failed' },
  });
  const retention: ClaimLoop = startClaimLoop({
    workerId,
    concurrency: 1,
    pollMs: Math.min(RETENTION_SWEEP_INTERVAL_MS, 60_000),
    claim: () => claimRetentionSweep(Math.ceil(RETENTION_SWEEP_INTERVAL_MS / 1000)),
    work: async (job) => void (await sweepWorkspace(job.id, RETENTION_BATCH_SIZE)),
    names: { worker: 'retention worker', job: 'retention sweep', idField: 'workspaceId', failed: 'retention sweep failed' },
  });
  return {
    async stop(graceMs) {
      await Promise.all([exports.stop(graceMs), retention.stop(graceMs)]);
    },
  };
}
