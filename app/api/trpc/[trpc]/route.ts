import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { CLIENT_ADDRESS_HEADER } from '@/server/tenancy/client-address';
import { currentSessionUser } from '@/server/tenancy/session-user';
import { createContext } from '@/server/trpc/context';
import { MAX_BATCH_SIZE, MAX_BODY_BYTES } from '@/server/trpc/limits';
import { appRouter } from '@/server/trpc/root';

function handler(req: Request) {
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ error: { message: 'Request body too large' } }, { status: 413 });
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async () => createContext(await currentSessionUser(), req.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined),
  });
}

export { handler as GET, handler as POST };
