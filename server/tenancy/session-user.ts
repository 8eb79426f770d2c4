// Resolves the signed-in user from the next-auth session cookie, once per
// request, at the edge (route handlers and server components). getServerSession
// runs the jwt callback, which checks the server-side session row and reads the
// account in one query (auth-options.ts); an ended session answers null.
import { getServerSession } from 'next-auth';
import type { AccountSummary } from './accounts';
import { authOptions, type EnclaveSession } from './auth-options';

export type SessionAccount = AccountSummary & { sessionId: string };

export async function currentSessionUser(): Promise<SessionAccount | null> {
  const session = (await getServerSession(authOptions())) as Partial<EnclaveSession> | null;
  if (!session?.account || !session.sessionId) return null;
  return { ...session.account, sessionId: session.sessionId };
}
