// `npm run worker`: a worker process beside the app. It finds the database as
// the app's other tools do (DATABASE_URL, else the running embedded database's
// connection file), connects through the app role, checks health, then claims
// and executes agent runs, knowledge ingestion, workspace exports and retention sweeps until SIGINT/SIGTERM (finishing the runs in hand).
import './launcher/load-dotenv';
import { env, setRuntimeEnv } from './env';
import { startProcessRunWorker } from './agents/process-run-worker';
import { startProcessIngestionWorker } from './knowledge/process-ingestion-worker';
import { startDataJobsWorker } from './lifecycle/data-jobs-worker';
import { databaseHealth } from './db/health';
import { disconnectPrisma } from './db/prisma';
import { locateRunningDatabase } from './launcher/database';
import { logger } from './observability/logger';
import { startTraceExportFromEnv, stopTraceExport } from './observability/otel-export';

async function main() {
  setRuntimeEnv({ DATABASE_URL: await locateRunningDatabase() });
  const health = await databaseHealth();
  if (!health.ok) throw new Error('the database does not answer through the app role');
  logger.info({ latencyMs: health.latencyMs }, 'worker connected to the database');
  startTraceExportFromEnv();
  const worker = startProcessRunWorker(env().RUN_WORKER_CONCURRENCY);
  const ingestion = startProcessIngestionWorker(Math.max(1, env().INGEST_WORKERS_IN_APP));
  const dataJobs = startDataJobsWorker();

  const stop = async () => {
    await Promise.all([worker.stop(), ingestion.stop(), dataJobs.stop()]);
    await stopTraceExport();
    await disconnectPrisma();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  logger.fatal(`worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
