// The run worker of this process (the app's or an `npm run worker` process's):
// the process's gateway, one JavaScript sandbox pool, real egress adapters, and
// the lease and poll settings from the environment.
import { env } from '../env';
import { defaultGateway } from '../llm/default-gateway';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { createQuickJsSandbox } from './tools/javascript-sandbox';
import { startRunWorker, type RunWorker } from './run-worker';

export function startProcessRunWorker(concurrency: number): RunWorker {
  const { RUN_LEASE_MS, RUN_POLL_MS, RUN_STREAM_FLUSH_MS } = env();
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
  return {
    workerId: worker.workerId,
    async stop(graceMs) {
      await worker.stop(graceMs);
      await sandbox.close();
    },
  };
}
