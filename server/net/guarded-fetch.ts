// A WHATWG fetch whose every call goes through the egress guard, for clients that
// take a `fetch` option (the openai SDK for tenant provider base URLs). Credential
// headers travel as secret headers: dropped on cross-origin redirects, never echoed.
import { openGuardedRequest, type EgressOptions } from './egress-guard';

export type GuardedFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Header names that carry API keys for OpenAI-compatible providers. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'api-key', 'x-api-key', 'cookie']);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** A fetch bound to one workspace's policy and adapters; errors are the guard's domain errors. */
export function createGuardedFetch(options: Omit<EgressOptions, 'signal'>): GuardedFetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    const secretHeaders: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      (CREDENTIAL_HEADERS.has(name) ? secretHeaders : headers)[name] = value;
    });
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
    const body = hasBody ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const response = await openGuardedRequest(
      { url: request.url, method: request.method, headers, secretHeaders, body },
      { ...options, signal: init?.signal ?? request.signal },
    );
    const iterator = response.body[Symbol.asyncIterator]();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel() {
        response.cancel();
        void iterator.return?.()?.catch(() => undefined);
      },
    });
    const nullBody = NULL_BODY_STATUSES.has(response.status) || request.method === 'HEAD';
    if (nullBody) response.cancel();
    return new Response(nullBody ? null : stream, { status: response.status, headers: response.headers });
  };
}
