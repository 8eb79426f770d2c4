// Shapes an HTTP response for a model: status, a few useful headers and the body as
// text, cut to a size a context window can hold. Secret values are blotted out of
// everything returned, so an API that echoes its credentials cannot leak them.
import type { EgressResponse } from '../../net/egress-guard';

export type HttpToolResult = {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the body was cut to `maxBodyChars`. */
  truncated: boolean;
};

/** Characters of body text handed to the model by default. */
export const DEFAULT_MAX_BODY_CHARS = 16_000;

const SHOWN_HEADERS = ['content-type', 'content-length', 'location', 'retry-after', 'etag', 'last-modified', 'date', 'cache-control', 'x-request-id'];
const TEXTUAL = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded|yaml|x-yaml|csv|graphql)\b)/i;

export function httpToolResult(response: EgressResponse, options: { maxBodyChars?: number; secrets?: string[] } = {}): HttpToolResult {
  const maxBodyChars = options.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS;
  const redact = (text: string) =>
    (options.secrets ?? []).filter((secret) => secret.length > 0).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const headers: Record<string, string> = {};
  for (const name of SHOWN_HEADERS) {
    const value = response.headers[name];
    if (value !== undefined) headers[name] = redact(value);
  }
  const type = response.headers['content-type'] ?? '';
  let body: string;
  if (response.body.byteLength === 0) body = '';
  else if (type === '' || TEXTUAL.test(type)) body = redact(new TextDecoder('utf-8', { fatal: false }).decode(response.body));
  else body = `[${response.body.byteLength} bytes of ${type.split(';')[0]} not shown]`;
  const truncated = body.length > maxBodyChars;
  return { status: response.status, headers, body: truncated ? body.slice(0, maxBodyChars) : body, truncated };
}
