// The one outbound HTTP client for tenant-driven egress. Every hop (redirects
// included) is checked against the allow-list, resolved once, its addresses vetted,
// and the vetted address itself is dialled, so DNS rebinding cannot slip past the
// check. A total timeout and a response-size cap hold while the body streams.
import { DomainError, InvalidInput, LimitExceeded, PolicyViolation, UpstreamFailure } from '../domain-errors';
import { addressRefusal, parseIpAddress } from './ip-address-rules';
import { vetUrl, type EgressPolicy, type EgressTarget } from './egress-policy';

/** Resolves a host name to IP addresses (all of them: each one is vetted). */
export interface HostResolver {
  lookup(host: string): Promise<string[]>;
}

/** What the guard asks the connector to dial: a vetted address, with the original name for Host and TLS. */
export type DialRequest = {
  url: URL;
  /** The vetted IP address to connect to; never resolve `url.hostname` again. */
  address: string;
  port: number;
  /** TLS server name (SNI and certificate check); undefined for IP-literal hosts. */
  servername: string | undefined;
  method: string;
  /** Lower-case names; includes `host`. */
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  signal: AbortSignal;
};

export type DialResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
};

/** Opens the connection and sends the request; aborting `signal` must tear it down. */
export interface Connector {
  dial(request: DialRequest): Promise<DialResponse>;
}

export type EgressAdapters = { resolver: HostResolver; connector: Connector };

export type EgressLimits = {
  /** Whole request, redirects and body included. */
  timeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
};

export const DEFAULT_EGRESS_LIMITS: EgressLimits = { timeoutMs: 10_000, maxResponseBytes: 1024 * 1024, maxRedirects: 5 };

export type EgressRequest = {
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  /**
   * Headers carrying credentials: never echoed in errors, dropped when a redirect
   * leaves the origin. A function is called once, only when the first dial is due
   * (after the URL and its addresses passed), so a refused request decrypts nothing.
   */
  secretHeaders?: Record<string, string> | (() => Promise<Record<string, string>>);
  body?: string | Uint8Array;
};

export type EgressOptions = {
  policy: EgressPolicy;
  adapters: EgressAdapters;
  limits?: Partial<EgressLimits>;
  signal?: AbortSignal;
};

export type StreamingEgressResponse = {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: number;
  /** The body, stopped with LimitExceeded past the size cap and UpstreamFailure past the timeout. */
  body: AsyncIterable<Uint8Array>;
  /** Drops the connection without reading the rest of the body. */
  cancel(): void;
};

export type EgressResponse = Omit<StreamingEgressResponse, 'body' | 'cancel'> & { body: Uint8Array };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers the caller may not set: the guard owns framing, the Host and the encoding. */
const RESERVED_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'expect',
  'accept-encoding',
  'proxy-authorization',
  'proxy-connection',
]);
/** Dropped, with the secret headers, when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie'];

class Timeout extends Error {}

/** Sends a request through the guard and reads the whole (capped) body. */
export async function sendGuardedRequest(request: EgressRequest, options: EgressOptions): Promise<EgressResponse> {
  const response = await openGuardedRequest(request, options);
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  const { body: _body, cancel: _cancel, ...rest } = response;
  return { ...rest, body: Buffer.concat(chunks) };
}

/** Sends a request through the guard and hands back the status, headers and a streaming, capped body. */
export async function openGuardedRequest(
  request: EgressRequest,
  options: EgressOptions,
): Promise<StreamingEgressResponse> {
  const limits = { ...DEFAULT_EGRESS_LIMITS, ...options.limits };
  const overall = new AbortController();
  const timer = setTimeout(() => overall.abort(new Timeout()), limits.timeoutMs);
  const onCallerAbort = () => overall.abort(options.signal?.reason);
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const release = () => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  };

  let url: string | URL = request.url;
  let method = (request.method ?? 'GET').toUpperCase();
  let body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
  let headers = outgoingHeaders(request.headers ?? {});
  let secrets: Record<string, string> | null = typeof request.secretHeaders === 'function' ? null : outgoingHeaders(request.secretHeaders ?? {});
  let origin = 'the server';
  try {
    for (let hop = 0; ; hop++) {
      const target = vetUrl(url, options.policy);
      origin = target.url.origin;
      const address = await vettedAddress(target, options, overall.signal);
      if (secrets === null && typeof request.secretHeaders === 'function') {
        secrets = outgoingHeaders(await untilAborted(request.secretHeaders(), overall.signal));
      }
      const hopAbort = new AbortController();
      const abortHop = () => hopAbort.abort(overall.signal.reason);
      overall.signal.addEventListener('abort', abortHop, { once: true });
      const response = await untilAborted(
        options.adapters.connector.dial({
          url: target.url,
          address,
          port: target.port,
          servername: target.literalAddress ? undefined : target.host,
          method,
          headers: { ...headers, ...secrets, host: target.url.host, 'accept-encoding': 'identity' },
          body,
          signal: hopAbort.signal,
        }),
        overall.signal,
      );
      const responseHeaders = flattenHeaders(response.headers);
      const location = responseHeaders.location;
      if (REDIRECTS.has(response.status) && location) {
        hopAbort.abort();
        overall.signal.removeEventListener('abort', abortHop);
        if (hop >= limits.maxRedirects) {
          throw new LimitExceeded(`${origin} redirected more than ${limits.maxRedirects} times.`);
        }
        const next = resolveLocation(location, target.url);
        if (next.origin !== target.url.origin) {
          secrets = {};
          headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
        }
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
          headers = withoutHeaders(headers, ['content-type']);
        }
        url = next;
        continue;
      }
      const declared = Number(responseHeaders['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
        hopAbort.abort();
        throw tooLarge(origin, limits.maxResponseBytes);
      }
      const capped = cappedBody(response.body, limits, overall.signal, origin, () => {
        hopAbort.abort();
        overall.signal.removeEventListener('abort', abortHop);
        release();
      });
      return {
        status: response.status,
        headers: responseHeaders,
        url: target.url.toString(),
        redirects: hop,
        body: capped,
        cancel: () => {
          hopAbort.abort();
          release();
        },
      };
    }
  } catch (error) {
    release();
    throw egressError(error, overall.signal, origin, limits.timeoutMs);
  }
}

/**
 * Checks a URL as a request would be checked (allow-list, resolution, address rules)
 * without dialling, e.g. when a tenant saves a provider base URL. A later request
 * is checked again: DNS answers change.
 */
export async function checkEgressTarget(url: string | URL, options: Omit<EgressOptions, 'limits'>): Promise<void> {
  const target = vetUrl(url, options.policy);
  await vettedAddress(target, options, options.signal ?? new AbortController().signal);
}

/** Resolves the host once and returns an address every answer of which passed the address rules. */
async function vettedAddress(target: EgressTarget, options: EgressOptions, signal: AbortSignal): Promise<string> {
  let answers: string[];
  if (target.literalAddress) {
    answers = [target.literalAddress];
  } else {
    try {
      answers = await untilAborted(options.adapters.resolver.lookup(target.host), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new UpstreamFailure(`${target.host} could not be resolved.`, 'unresolvable');
    }
    if (answers.length === 0) throw new UpstreamFailure(`${target.host} could not be resolved.`, 'unresolvable');
  }
  // Every answer is vetted: a name that resolves to one public and one private address is refused.
  const parsed = answers.map((answer) => {
    const address = parseIpAddress(answer);
    if (!address) throw new PolicyViolation(`${target.host} resolved to something that is not an IP address.`);
    const refusal = addressRefusal(address, options.policy.allowPrivateAddresses);
    if (refusal) {
      const what = target.literalAddress ? address.canonical : `${target.host} resolves to ${address.canonical}, which`;
      throw new PolicyViolation(`Refused: ${what} is a ${refusal.label}; requests to private and internal addresses are not allowed.`);
    }
    return address;
  });
  return parsed[0]!.canonical;
}

async function* cappedBody(
  body: AsyncIterable<Uint8Array>,
  limits: EgressLimits,
  signal: AbortSignal,
  origin: string,
  done: () => void,
): AsyncGenerator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  let total = 0;
  try {
    while (true) {
      const next = await untilAborted(iterator.next(), signal);
      if (next.done) return;
      total += next.value.byteLength;
      if (total > limits.maxResponseBytes) throw tooLarge(origin, limits.maxResponseBytes);
      yield next.value;
    }
  } catch (error) {
    throw egressError(error, signal, origin, limits.timeoutMs);
  } finally {
    done();
    void iterator.return?.()?.catch(() => undefined);
  }
}

function tooLarge(origin: string, maxBytes: number): LimitExceeded {
  return new LimitExceeded(`The response from ${origin} is larger than the ${maxBytes}-byte limit.`);
}

/** Turns whatever went wrong into a domain error whose message names the origin only. */
function egressError(error: unknown, signal: AbortSignal, origin: string, timeoutMs?: number): DomainError {
  if (error instanceof DomainError) return error;
  if (signal.aborted) {
    return signal.reason instanceof Timeout
      ? new UpstreamFailure(`The request to ${origin} timed out${timeoutMs ? ` after ${timeoutMs} ms` : ''}.`, 'timeout')
      : new UpstreamFailure(`The request to ${origin} was cancelled.`, 'cancelled');
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? ` (${(error as { code: string }).code})` : '';
  return new UpstreamFailure(`Could not reach ${origin}${code}.`, 'unreachable');
}

/** Rejects as soon as the signal aborts, even when the adapter ignores it. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function outgoingHeaders(input: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(input)) {
    const name = rawName.trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new InvalidInput(`"${rawName}" is not a valid header name.`, 'headers');
    // The value is not quoted: it may be a credential.
    if (/[\r\n\0]/.test(String(value))) throw new InvalidInput(`The value of header ${name} contains a line break.`, 'headers');
    if (RESERVED_HEADERS.has(name)) continue;
    out[name] = String(value);
  }
  return out;
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

function flattenHeaders(headers: DialResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function resolveLocation(location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch {
    throw new InvalidInput(`${base.origin} redirected to an invalid URL.`, 'url');
  }
}
