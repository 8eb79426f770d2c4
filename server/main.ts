// `npm start`: builds the UI if needed, starts the database (embedded PGlite
// unless DATABASE_URL is set), applies migrations, seeds the demo on a fresh
// embedded database, then serves Next.js on $PORT from this one process.
import './launcher/load-dotenv';
import { createServer } from 'node:http';
import next from 'next';
import { appUrl, env, setRuntimeEnv } from './env';
import { migrate } from './db/migrator';
import { createOwnerPool } from './db/owner-pool';
import { disconnectPrisma } from './db/prisma';
import { demoAccountsExist, demoLoginsText, seedDemo } from './demo/seed-demo';
import { buildIsStale, runNextBuild } from './launcher/ensure-build';
import { startDatabase } from './launcher/database';
import { sessionSecret } from './launcher/local-secret';
import { localModelOptionsFromEnv, startLocalModelServer } from './llm/local-model/local-model-server';
import { logger } from './observability/logger';
import { startTraceExportFromEnv, stopTraceExport } from './observability/otel-export';
import { anyAccountExists, syncOperatorFlag } from './tenancy/accounts';
import { createEdgeHandler } from './http/edge-handler';
import { ensureMasterKey } from './vault/master-key';
import { startProcessRunWorker } from './agents/process-run-worker';
import type { RunWorker } from './agents/run-worker';
import { startProcessIngestionWorker } from './knowledge/process-ingestion-worker';
import { startDataJobsWorker } from './lifecycle/data-jobs-worker';

async function main() {
  const root = process.cwd();
  const dev = process.argv.includes('--dev');
  if (!dev && (await buildIsStale(root))) {
    logger.info('building the web app (first start or changed sources)…');
    await runNextBuild(root);
  }

  const database = await startDatabase();
  setRuntimeEnv({ DATABASE_URL: database.url, NEXTAUTH_SECRET: await sessionSecret(), APP_URL: appUrl() });
  logger.info({ embedded: database.embedded }, 'database started');
  ensureMasterKey();

  // The built-in provider of every workspace that configured none; the env keeps the port it really got.
  const localModel = await startLocalModelServer(localModelOptionsFromEnv());
  setRuntimeEnv({ LOCAL_MODEL_PORT: String(localModel.port) });
  logger.info(`local model on ${localModel.url}`);

  const owner = createOwnerPool(database.url);
  const report = await migrate(owner);
  logger.info({ applied: report.applied, alreadyApplied: report.alreadyApplied }, 'migrations up to date');

  await owner.end();

  const wantDemo = env().ENCLAVE_DEMO || (database.embedded && !(await anyAccountExists()));
  if (wantDemo) {
    const created = await seedDemo();
    if (created.length) console.log(`\n${demoLoginsText()}\n`);
  }
  await syncOperatorFlag();

  // Run traces go to an OTLP collector as well when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  startTraceExportFromEnv();
  // Agent runs are executed here too unless RUN_WORKERS_IN_APP=0 leaves them to worker processes.
  const runWorker: RunWorker | null = env().RUN_WORKERS_IN_APP > 0 ? startProcessRunWorker(env().RUN_WORKERS_IN_APP) : null;
  // Knowledge documents are ingested here too unless INGEST_WORKERS_IN_APP=0.
  const ingestionWorker = env().INGEST_WORKERS_IN_APP > 0 ? startProcessIngestionWorker(env().INGEST_WORKERS_IN_APP) : null;
  // Workspace exports and retention sweeps run here too unless DATA_JOBS_IN_APP=0.
  const dataJobs = env().DATA_JOBS_IN_APP > 0 ? startDataJobsWorker() : null;

  const { PORT, ENCLAVE_TRUSTED_PROXIES } = env();
  const host = await listenAddress();
  const app = next({ dev, dir: root, hostname: host, port: PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer(
    createEdgeHandler(handle, { trustedProxies: ENCLAVE_TRUSTED_PROXIES, dev, https: appUrl().startsWith('https://') }),
  );
  server.listen(PORT, host, () => logger.info(`Enclave is ready on ${appUrl()}`));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await Promise.all([runWorker?.stop(), ingestionWorker?.stop(), dataJobs?.stop()]);
    await stopTraceExport();
    await app.close().catch(() => {});
    await disconnectPrisma();
    await localModel.stop();
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** HOST, or by default all interfaces — loopback only while the demo accounts, with their published passwords, exist. */
async function listenAddress(): Promise<string> {
  const { HOST } = env();
  if (HOST) return HOST;
  if (await demoAccountsExist()) {
    logger.warn('demo accounts exist, so Enclave listens on 127.0.0.1 only; set HOST to listen elsewhere');
    return '127.0.0.1';
  }
  return '0.0.0.0';
}

main().catch((error) => {
  logger.fatal({ err: error }, 'Enclave failed to start');
  process.exit(1);
});
