// The lease a worker holds on the run it executes: short transactions that renew
// it, write a step, and finish the run — each only while the lease is still this
// worker's, so a worker that lost its run (it stalled and another took over)
// can never write over the new owner's work.
import type { Prisma } from '../db/generated/client';
import { withWorkspace } from '../db/with-workspace';
import type { RunState } from './run-states';

export type LeaseHolder = { workspaceId: string; runId: string; workerId: string; leaseMs: number };

export type LeaseCheck = { held: boolean; cancelRequested: boolean };

/** Extends the lease; tells whether it is still held and whether a cancel was asked for. */
export async function renewLease(lease: LeaseHolder): Promise<LeaseCheck> {
  return withWorkspace(lease.workspaceId, async (tx) => {
    const rows = await tx.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE runs SET lease_expires_at = now() + make_interval(secs => ${lease.leaseMs / 1000})
      WHERE workspace_id = ${lease.workspaceId}::uuid AND id = ${lease.runId}::uuid
        AND lease_owner = ${lease.workerId} AND status = 'running'
      RETURNING cancel_requested`;
    return rows[0] ? { held: true, cancelRequested: rows[0].cancel_requested } : { held: false, cancelRequested: false };
  });
}

/** Writes one step if the lease is held; false when it is not (the step is not written). */
export async function writeStep(lease: LeaseHolder, step: Omit<Prisma.RunStepCreateManyInput, 'workspaceId' | 'runId'>): Promise<boolean> {
  return withWorkspace(lease.workspaceId, async (tx) => {
    const owned = await tx.run.count({ where: { workspaceId: lease.workspaceId, id: lease.runId, leaseOwner: lease.workerId, status: 'running' } });
    if (!owned) return false;
    await tx.runStep.createMany({ data: [{ ...step, workspaceId: lease.workspaceId, runId: lease.runId }], skipDuplicates: true });
    return true;
  });
}

/** Moves the run to a final state and releases the lease, if the lease is still held. */
export async function finishRun(
  lease: LeaseHolder,
  outcome: { status: Exclude<RunState, 'queued' | 'running'>; output?: string | null; error?: string | null },
): Promise<boolean> {
  return withWorkspace(lease.workspaceId, async (tx) => {
    const updated = await tx.run.updateMany({
      where: { workspaceId: lease.workspaceId, id: lease.runId, leaseOwner: lease.workerId, status: 'running' },
      data: { status: outcome.status, output: outcome.output ?? null, error: outcome.error ?? null, finishedAt: new Date(), leaseExpiresAt: null },
    });
    return updated.count === 1;
  });
}
