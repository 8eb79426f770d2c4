// Structured JSON logs (pino). Every line carries the tenant context of the
// request that wrote it; secrets, tokens and passwords are redacted by path, and
// personal data and API keys found in any logged text are replaced by their type tag.
import pino from 'pino';
import { env } from '../env';
import { redactAllPii } from '../governance/pii-detection';
import { currentTenantContext } from '../tenancy/tenant-context';

export const logger = pino({
  level: env().LOG_LEVEL,
  base: undefined,
  redact: {
    paths: ['password', '*.password', 'token', '*.token', 'passwordHash', '*.passwordHash', 'authorization', '*.authorization'],
    censor: '[redacted]',
  },
  hooks: {
    logMethod(args, method) {
      return method.apply(this, args.map((arg) => withoutPii(arg, 0)) as Parameters<typeof method>);
    },
  },
  mixin() {
    const context = currentTenantContext();
    return context
      ? { requestId: context.requestId, workspaceId: context.workspaceId, userId: context.userId, via: context.via }
      : {};
  },
});

const MAX_SCRUB_DEPTH = 5;

/** Strings, plain objects, arrays and errors with their PII replaced; other values unchanged. */
function withoutPii(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactAllPii(value);
  if (depth >= MAX_SCRUB_DEPTH || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(redactAllPii(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactAllPii(value.stack);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => withoutPii(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutPii(item, depth + 1)]));
}
