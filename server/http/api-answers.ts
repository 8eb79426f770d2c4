// The answers of the app's own route handlers (uploads, downloads, exports, run
// events): JSON `{ error: { message } }`, never cached, with a message a person
// can read — a validation failure's own sentences, never zod's JSON or a server
// error's detail — and an id that is not one answered as not found.
import { ZodError } from 'zod';
import { retryAfterHeaders } from './retry-after';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` can name a row at all; anything else is answered 404, as an id of another workspace is. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function apiFailure(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** A procedure's failure (its HTTP status, message and cause) as an answer; 5xx say only `fallback`. */
export function failureAnswer(failure: { status: number; message: string; cause?: unknown }, fallback: string): Response {
  if (failure.status >= 500) return apiFailure(500, fallback);
  const message = failure.cause instanceof ZodError ? issueSentences(failure.cause) : failure.message;
  return apiFailure(failure.status, message, retryAfterHeaders([failure.cause]));
}

/** A validation failure as the sentences its schemas wrote, each once. */
export function issueSentences(error: ZodError): string {
  return [...new Set(error.issues.map((issue) => issue.message))].join('; ');
}
