// Expires pending approvals past their expiry and fails their runs. Every run
// worker process sweeps on an interval; several can sweep at once, since each
// expiry is a conditional update in its own short tenant transaction (the first
// one wins, the others find it decided and move on).
import { expiredApprovalRows } from '../db/approval-statements';
import { withWorkspace } from '../db/with-workspace';
import { logger } from '../observability/logger';
import { exportSpans } from '../observability/otel-export';
import { expireApproval } from './approvals';

const BATCH = 100;

/** Expires up to `limit` due approvals; answers how many this call expired. */
export async function sweepExpiredApprovals(limit = BATCH): Promise<number> {
  let expired = 0;
  for (const due of await expiredApprovalRows(limit)) {
    const spans = await withWorkspace(due.workspace_id, (tx) => expireApproval(tx, due.workspace_id, due.id));
    if (!spans) continue;
    expired += 1;
    exportSpans(spans);
  }
  return expired;
}

export type ApprovalSweep = { stop(): Promise<void> };

/** Sweeps every `everyMs` until stopped; a failed sweep is logged and the next one tries again. */
export function startApprovalSweep(everyMs: number): ApprovalSweep {
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweeping
      .then(() => sweepExpiredApprovals())
      .then((count) => {
        if (count) logger.info({ count }, 'expired pending approvals');
      })
      .catch((error: unknown) => logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'approval sweep failed'));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
    },
  };
}
