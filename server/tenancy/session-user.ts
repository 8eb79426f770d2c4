// Resolves the signed-in user from the next-auth session cookie, once per
// request, at the edge (route handlers and server components).
import { getServerSession } from 'next-auth';
import { accountById, type AccountSummary } from './accounts';
import { authOptions } from './auth-options';

export async function currentSessionUser(): Promise<AccountSummary | null> {
  const session = (await getServerSession(authOptions)) as { userId?: string } | null;
  if (!session?.userId) return null;
  return accountById(session.userId);
}
