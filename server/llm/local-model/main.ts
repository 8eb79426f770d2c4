// `npm run model:local`: the local model on its own, configured by LOCAL_MODEL_*
// (server/env.ts), until SIGINT or SIGTERM.
import '../../launcher/load-dotenv';
import { logger } from '../../observability/logger';
import { localModelOptionsFromEnv, startLocalModelServer } from './local-model-server';

async function main() {
  const options = localModelOptionsFromEnv();
  const server = await startLocalModelServer(options);
  logger.info({ baseURL: server.url, latency: options.latency }, `local model listening on ${server.url}`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  logger.fatal({ err: error }, 'local model failed to start');
  process.exit(1);
});
