import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContext } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/root';
import { currentSessionUser } from '@/server/tenancy/session-user';

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () =>
      createContext(await currentSessionUser(), req.headers.get('x-forwarded-for')?.split(',')[0]?.trim()),
  });
}

export { handler as GET, handler as POST };
