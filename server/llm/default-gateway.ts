// The process's gateway: the system clock, real DNS and sockets behind the egress
// guard for tenant providers, and the built-in local model on the port it got.
import { env } from '../env';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { createGateway, systemClock, type Gateway } from './gateway';

/** How long a call to the built-in local model may take. */
const LOCAL_MODEL_TIMEOUT_MS = 120_000;

let gateway: Gateway | undefined;

export function defaultGateway(): Gateway {
  gateway ??= createGateway({
    clock: systemClock,
    egressAdapters: nodeEgressAdapters,
    localModel: () => ({
      baseUrl: `http://${localModelHost()}:${env().LOCAL_MODEL_PORT}/v1`,
      apiKey: env().LOCAL_MODEL_API_KEY,
      timeoutMs: LOCAL_MODEL_TIMEOUT_MS,
    }),
    maxOutputTokens: env().MODEL_MAX_OUTPUT_TOKENS,
  });
  return gateway;
}

function localModelHost(): string {
  const host = env().LOCAL_MODEL_HOST;
  // Listening on every interface still answers on loopback.
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
