// What a workspace uses of each limit right now: this minute's rate-limit counters,
// the runs executing now, the knowledge it stores, beside the limits in force —
// all read in the workspace's own transaction.
import type { Tx } from '../db/with-workspace';
import { knowledgeStorageUsed } from './knowledge-storage';
import type { RateLimitKind } from './rate-limits';
import { workspaceLimits, type WorkspaceLimits } from './workspace-limits';

export type LimitUsage = {
  key: 'runsPerMinute' | 'tokensPerMinute' | 'apiRequestsPerMinute' | 'concurrentRuns' | 'knowledgeMaxChunks' | 'knowledgeMaxBytes';
  label: string;
  used: number;
  limit: number;
  unit: 'count' | 'bytes';
};

export type LimitsUsage = {
  plan: WorkspaceLimits['plan'];
  planName: string;
  /** The minute the per-minute counters belong to. */
  windowStart: Date;
  usage: LimitUsage[];
  /** Caps applied to each run when it starts. */
  perRun: { maxRunDurationMs: number; maxSteps: number };
};

export async function limitsUsage(tx: Tx, workspaceId: string): Promise<LimitsUsage> {
  const limits = await workspaceLimits(tx, workspaceId);
  const [windowRow] = await tx.$queryRaw<{ window_start: Date }[]>`SELECT date_trunc('minute', now()) AS window_start`;
  const windowStart = windowRow!.window_start;
  const counters = await tx.rateLimitWindow.findMany({ where: { workspaceId, windowStart }, select: { kind: true, used: true } });
  const counted = (kind: RateLimitKind) => Number(counters.find((c) => c.kind === kind)?.used ?? 0);
  const running = await tx.run.count({ where: { workspaceId, status: 'running' } });
  const storage = await knowledgeStorageUsed(tx, workspaceId);
  const plan = await tx.plan.findUnique({ where: { id: limits.plan }, select: { name: true } });
  return {
    plan: limits.plan,
    planName: plan?.name ?? limits.plan,
    windowStart,
    usage: [
      { key: 'runsPerMinute', label: 'Runs started this minute', used: counted('runs'), limit: limits.runsPerMinute, unit: 'count' },
      { key: 'tokensPerMinute', label: 'Model tokens this minute', used: counted('model_tokens'), limit: limits.tokensPerMinute, unit: 'count' },
      { key: 'apiRequestsPerMinute', label: 'API requests this minute', used: counted('api_requests'), limit: limits.apiRequestsPerMinute, unit: 'count' },
      { key: 'concurrentRuns', label: 'Runs executing now', used: running, limit: limits.concurrentRuns, unit: 'count' },
      { key: 'knowledgeMaxChunks', label: 'Knowledge chunks stored', used: storage.chunks, limit: limits.knowledgeMaxChunks, unit: 'count' },
      { key: 'knowledgeMaxBytes', label: 'Knowledge documents stored', used: storage.bytes, limit: limits.knowledgeMaxBytes, unit: 'bytes' },
    ],
    perRun: { maxRunDurationMs: limits.maxRunDurationMs, maxSteps: limits.maxSteps },
  };
}
