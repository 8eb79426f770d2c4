// The tRPC endpoint over HTTP (/api/trpc), for a caller already resolved from the
// session: batches capped, every workspace call counted against that workspace's
// API requests per minute, and a rate-limit refusal answered 429 with Retry-After.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { retryAfterHeaders } from '../http/retry-after';
import { createContext, type SessionUser } from './context';
import { MAX_BATCH_SIZE } from './limits';
import { appRouter } from './root';

export function trpcHttpResponse(req: Request, user: SessionUser | null, ip?: string): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async () => createContext(user, ip, { apiRequest: true }),
    responseMeta: ({ errors }) => ({ headers: retryAfterHeaders(errors.map((e) => e.cause)) }),
  });
}
