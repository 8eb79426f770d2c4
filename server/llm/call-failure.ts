// What a failed provider attempt means for the call: fall back to the next
// candidate (timeout, 5xx, 429, unreachable) or stop (any other 4xx, an egress
// refusal, a missing key), and how long a 429 asked us to stay away.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { DomainError, InvalidInput, NotFound, PolicyViolation, UpstreamFailure } from '../domain-errors';

export type FailureKind =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'unreachable'
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'egress_refused'
  | 'missing_credentials'
  | 'cancelled';

export type AttemptFailure = {
  kind: FailureKind;
  /** Try the next candidate. */
  retryable: boolean;
  status?: number;
  /** From Retry-After / retry-after-ms on a 429. */
  retryAfterMs?: number;
  /** A user-facing sentence; never contains credentials. */
  message: string;
  cause: unknown;
};

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e && chain.length < 6; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** Retry-After in seconds or as an HTTP date; retry-after-ms (OpenAI's) wins when present. */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (headers?.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function providerMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : '';
  return text.slice(0, 300);
}

/** `callerAborted`: the caller's own signal fired; any other abort is the SDK's timeout. */
export function classifyFailure(error: unknown, providerName: string, now: number, callerAborted = false): AttemptFailure {
  const chain = causeChain(error);
  const policy = chain.find((e) => e instanceof PolicyViolation);
  if (policy) return { kind: 'egress_refused', retryable: false, message: (policy as Error).message, cause: error };
  const upstream = chain.find((e) => e instanceof UpstreamFailure) as UpstreamFailure | undefined;
  if (callerAborted) return { kind: 'cancelled', retryable: false, message: 'The call was cancelled', cause: error };
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError || upstream?.kind === 'timeout' || upstream?.kind === 'cancelled') {
    return { kind: 'timeout', retryable: true, message: `${providerName} did not answer in time`, cause: error };
  }
  if (error instanceof APIConnectionError) {
    return { kind: 'unreachable', retryable: true, message: `${providerName} could not be reached`, cause: error };
  }
  if (error instanceof NotFound && /secret/i.test(error.message)) {
    return { kind: 'missing_credentials', retryable: false, message: `The API key secret of ${providerName} is missing from the vault`, cause: error };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 429) {
      return {
        kind: 'rate_limited',
        retryable: true,
        status,
        retryAfterMs: retryAfterMs(error.headers, now),
        message: `${providerName} is rate limiting requests (429)`,
        cause: error,
      };
    }
    if (status >= 500 || status === 408) return { kind: 'server_error', retryable: true, status, message: `${providerName} failed (${status})`, cause: error };
    if (status === 401 || status === 403) {
      return { kind: 'unauthorized', retryable: false, status, message: `${providerName} refused the API key (${status}): check the provider's secret`, cause: error };
    }
    const detail = providerMessage(error);
    return {
      kind: status === 404 ? 'not_found' : 'bad_request',
      retryable: false,
      status,
      message: `${providerName} rejected the request (${status})${detail ? `: ${detail}` : ''}`,
      cause: error,
    };
  }
  if (error instanceof DomainError) return { kind: 'bad_request', retryable: false, message: error.message, cause: error };
  return { kind: 'unreachable', retryable: true, message: `${providerName} failed unexpectedly`, cause: error };
}

/** The domain error a caller sees once no candidate is left, with any credential scrubbed. */
export function finalError(failure: AttemptFailure, attempts: number, secrets: string[]): DomainError {
  let message = failure.message;
  for (const secret of secrets) if (secret) message = message.split(secret).join('[redacted]');
  if (attempts > 1) message = `All ${attempts} attempts failed; the last: ${message}`;
  switch (failure.kind) {
    case 'egress_refused':
      return new PolicyViolation(message);
    case 'bad_request':
    case 'not_found':
    case 'unauthorized':
    case 'missing_credentials':
      return new InvalidInput(message);
    case 'timeout':
      return new UpstreamFailure(message, 'timeout');
    case 'cancelled':
      return new UpstreamFailure(message, 'cancelled');
    default:
      return new UpstreamFailure(message, 'unreachable');
  }
}
