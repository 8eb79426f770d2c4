// The policy in force per workspace, as the gateway and the runtime read it: kept in
// memory for a few seconds so a model call costs no policy query. A save in this
// process forgets the entry at once; other processes see it within POLICY_TTL_MS.
import { withWorkspace } from '../db/with-workspace';
import { currentPolicy, type WorkspacePolicyVersion } from './policy-document';

export const POLICY_TTL_MS = 5_000;

const cache = new Map<string, { policy: WorkspacePolicyVersion; expiresAt: number }>();

export async function policyInForce(workspaceId: string, now = Date.now()): Promise<WorkspacePolicyVersion> {
  const cached = cache.get(workspaceId);
  if (cached && cached.expiresAt > now) return cached.policy;
  const policy = await withWorkspace(workspaceId, (tx) => currentPolicy(tx, workspaceId));
  cache.set(workspaceId, { policy, expiresAt: now + POLICY_TTL_MS });
  return policy;
}

/** Called after a save commits (and by tests), so this process reads the new version next. */
export function forgetPolicy(workspaceId: string): void {
  cache.delete(workspaceId);
}
