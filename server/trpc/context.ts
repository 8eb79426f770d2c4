// The tRPC context: who is calling, resolved once from the session at the edge.
import { randomUUID } from 'node:crypto';
import type { AccountSummary } from '../tenancy/accounts';
import type { TenantContext } from '../tenancy/tenant-context';

/** The signed-in account; sessionId is the server-side session the request came with (absent for in-process test callers). */
export type SessionUser = AccountSummary & { sessionId?: string };

export type Context = {
  user: SessionUser | null;
  requestId: string;
  ip?: string;
  /**
   * The call came over HTTP (/api/trpc, /api/knowledge/upload…): each workspace
   * procedure it calls counts against that workspace's API requests per minute.
   * In-process calls (server components, server actions, tests) do not.
   */
  apiRequest?: boolean;
};

export function createContext(user: SessionUser | null, ip?: string, options: { apiRequest?: boolean } = {}): Context {
  return { user, requestId: randomUUID(), ip, apiRequest: options.apiRequest ?? false };
}

export function tenantContextOf(ctx: Context): TenantContext {
  return { via: ctx.user ? 'session' : 'anonymous', userId: ctx.user?.id, requestId: ctx.requestId };
}
