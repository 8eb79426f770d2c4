// Retry-After for responses refused by a rate limit: the longest wait any of the
// request's refusals (LimitExceeded with retryAfterSeconds) asked for, in seconds.
import { LimitExceeded } from '../domain-errors';

/** `{ 'retry-after': '<seconds>' }` when one of `causes` is a timed refusal, else no header. */
export function retryAfterHeaders(causes: readonly unknown[]): Record<string, string> {
  const seconds = causes.reduce<number>(
    (longest, cause) => (cause instanceof LimitExceeded && cause.retryAfterSeconds ? Math.max(longest, cause.retryAfterSeconds) : longest),
    0,
  );
  return seconds > 0 ? { 'retry-after': String(seconds) } : {};
}
