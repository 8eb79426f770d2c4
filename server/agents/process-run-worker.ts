// The run worker of this process (the app's or an `npm run worker` process's):
// the process's gateway, one JavaScript sandbox pool, real egress adapters, and
// the lease and poll settings from the environment, and the sweep that expires
// pending approvals past their time.
import { env } from '../env';
import { startApprovalSweep } from '../governance/approval-sweep';
import { defaultGateway } from '../llm/default-gateway';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { createQuickJsSandbox } from './tools/javascript-sandbox';
import { startRunWorker, type RunWorker } from './run-worker';

export function startProcessRunWorker(concurrency: number): RunWorker {
  const { RUN_LEASE_MS, RUN_POLL_MS, RUN_STREAM_FLUSH_MS, APPROVAL_SWEEP_MS } = env();
  const sandbox = createQuickJsSandbox();
  const worker = startRunWorker({
    gateway: defaultGateway(),
    sandbox,
    egressAdapters: nodeEgressAdapters,
    leaseMs: RUN_LEASE_MS,
    pollMs: RUN_POLL_MS,
    streamFlushMs: RUN_STREAM_FLUSH_MS,
    concurrency,
  });
  const sweep = startApprovalSweep(APPROVAL_SWEEP_MS);
  return {
    workerId: worker.workerId,
    async stop(graceMs) {
      await Promise.all([worker.stop(graceMs), sweep.stop()]);
      await sandbox.close();
    },
  };
}
