// Test hooks that make the server fail like a real provider, for gateway
// fallback, retry and timeout tests: a model named enclave-local-fail-429 /
// -fail-500 / enclave-local-hang, or the request header
// `x-local-model-fail: 429 | 500 | 503 | hang` (429 takes `; retry-after=<seconds>`).
import { LocalModelError, invalidRequest } from './api-errors';
import type { LocalModel } from './models';

export const FAILURE_HEADER = 'x-local-model-fail';

export type Failure = { kind: 'error'; error: LocalModelError } | { kind: 'hang' };

const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** The failure this request asks for, if any. */
export function failureFor(model: LocalModel, header: string | string[] | undefined): Failure | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value) return parseHeader(value, model.id);
  if (model.failure === 'rate-limit') return { kind: 'error', error: rateLimited(model.id, DEFAULT_RETRY_AFTER_SECONDS) };
  if (model.failure === 'server-error') return { kind: 'error', error: serverError(500) };
  if (model.failure === 'hang') return { kind: 'hang' };
  return undefined;
}

function parseHeader(value: string, modelId: string): Failure {
  const [kind, ...options] = value.split(';').map((p) => p.trim().toLowerCase());
  const retryAfter = options.map((o) => /^retry-after\s*=\s*(\d+(?:\.\d+)?)$/.exec(o)).find(Boolean);
  if (kind === 'hang') return { kind: 'hang' };
  if (kind === '429') return { kind: 'error', error: rateLimited(modelId, retryAfter ? Number(retryAfter[1]) : DEFAULT_RETRY_AFTER_SECONDS) };
  if (kind === '500' || kind === '503') return { kind: 'error', error: serverError(Number(kind)) };
  throw invalidRequest(`Invalid ${FAILURE_HEADER} header: expected 429, 500, 503 or hang.`, FAILURE_HEADER);
}

function rateLimited(modelId: string, retryAfterSeconds: number) {
  return new LocalModelError(429, `Rate limit reached for ${modelId} (local model test hook). Please try again later.`, {
    type: 'requests',
    code: 'rate_limit_exceeded',
    headers: {
      'retry-after': String(Math.ceil(retryAfterSeconds)),
      'retry-after-ms': String(Math.round(retryAfterSeconds * 1000)),
    },
  });
}

function serverError(status: number) {
  const message =
    status === 503
      ? 'The engine is currently overloaded (local model test hook). Please try again later.'
      : 'The server had an error while processing your request (local model test hook).';
  return new LocalModelError(status, message, { type: 'server_error' });
}
