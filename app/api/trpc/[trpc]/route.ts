import { CLIENT_ADDRESS_HEADER } from '@/server/tenancy/client-address';
import { currentSessionUser } from '@/server/tenancy/session-user';
import { trpcHttpResponse } from '@/server/trpc/http-endpoint';

// Body size is capped for every route at the HTTP edge (server/http/body-limits.ts).
async function handler(req: Request) {
  return trpcHttpResponse(req, await currentSessionUser(), req.headers.get(CLIENT_ADDRESS_HEADER) ?? undefined);
}

export { handler as GET, handler as POST };
