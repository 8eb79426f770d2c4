// Structured JSON logs (pino). Every line carries the tenant context of the
// request that wrote it; secrets, tokens and passwords are redacted by path.
import pino from 'pino';
import { env } from '../env';
import { currentTenantContext } from '../tenancy/tenant-context';

export const logger = pino({
  level: env().LOG_LEVEL,
  base: undefined,
  redact: {
    paths: ['password', '*.password', 'token', '*.token', 'passwordHash', '*.passwordHash', 'authorization', '*.authorization'],
    censor: '[redacted]',
  },
  mixin() {
    const context = currentTenantContext();
    return context
      ? { requestId: context.requestId, workspaceId: context.workspaceId, userId: context.userId, via: context.via }
      : {};
  },
});
