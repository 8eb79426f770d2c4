// Benchmarks measure the platform, not a plan: their workspaces go on the
// enterprise plan with every per-minute, concurrency and storage limit raised out
// of the way (recorded in the workspace's audit log like any operator change).
import { withWorkspace } from '../db/with-workspace';
import { LIMIT_FIELDS, type LimitOverrides } from '../governance/limit-fields';
import { setWorkspaceLimits } from '../governance/limit-settings';

const LIFTED: Partial<LimitOverrides> = {
  runsPerMinute: 1_000_000,
  tokensPerMinute: 2_000_000_000,
  apiRequestsPerMinute: 1_000_000,
  concurrentRuns: 10_000,
  knowledgeMaxChunks: 100_000_000,
  knowledgeMaxBytes: 1_000_000_000_000,
};

export async function liftLimits(workspaceId: string, byUserId: string): Promise<void> {
  const overrides = { ...(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, null])) as LimitOverrides), ...LIFTED };
  await withWorkspace(workspaceId, (tx) => setWorkspaceLimits(tx, { workspaceId, operatorUserId: byUserId, plan: 'enterprise', overrides }));
}
