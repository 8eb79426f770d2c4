// Who is acting, resolved once at the edge (session cookie, API key, or the
// system scheduler) and carried through the request in AsyncLocalStorage, so
// logs, spans and metering can read it without threading it through every call.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkspaceRole } from './roles';

export type TenantContext = {
  via: 'session' | 'api-key' | 'system' | 'anonymous';
  userId?: string;
  workspaceId?: string;
  role?: WorkspaceRole;
  requestId: string;
};

const storage = new AsyncLocalStorage<TenantContext>();

export function runWithTenantContext<T>(context: TenantContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentTenantContext(): TenantContext | undefined {
  return storage.getStore();
}

/** Narrows the current context once a workspace has been resolved. */
export function enterWorkspaceContext(workspaceId: string, role: WorkspaceRole): void {
  const context = storage.getStore();
  if (context) {
    context.workspaceId = workspaceId;
    context.role = role;
  }
}
