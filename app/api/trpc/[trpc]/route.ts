import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { CLIENT_ADDRESS_HEADER } from '@/server/tenancy/client-address';
import { currentSessionUser } from '@/server/tenancy/session-user';
import { createContext } from '@/server/trpc/context';
import { MAX_BATCH_SIZE } from '@/server/trpc/limits';
import { appRouter } from '@/server/trpc/root';

// Body size is capped for every route at the HTTP edge (server/http/body-limits.ts).
function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async () => createContext(await currentSessionUser(), req.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined),
  });
}

export { handler as GET, handler as POST };
