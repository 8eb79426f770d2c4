// The demo's finished runs: a few questions per demo workspace, queued with fixed
// idempotency keys (a re-seed finds them instead of adding more) and executed
// through the real run loop against a zero-latency local model started for the
// seed, so they carry real steps, usage rows and whatever else the loop records.
// The demo knowledge bases are ingested first, so the answers cite their passages.
import { claimNextRun } from '../agents/claim-order';
import { executeRun } from '../agents/run-loop';
import { isFinished, type RunState } from '../agents/run-states';
import { runById, startRun } from '../agents/runs';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import { withWorkspace } from '../db/with-workspace';
import { createGateway, systemClock } from '../llm/gateway';
import { startLocalModelServer } from '../llm/local-model/local-model-server';
import { claimNextDocument } from '../knowledge/ingestion-claim';
import { ingestDocument } from '../knowledge/ingest-document';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { logger } from '../observability/logger';
import type { Actor } from '../tenancy/members';

export type DemoRunRef = { workspaceId: string; runId: string };

const DEMO_QUESTIONS = [
  { key: 'demo-refund-sum', input: 'Refund two shirts at 49.90 and the 12.50 shipping: use run_javascript with code "2*49.90 + 12.50"', customer: 'Dana' },
  { key: 'demo-delivery', input: 'My parcel has not arrived yet. What can I do?', customer: 'Sam' },
  { key: 'demo-refund-policy', input: 'Can I still return a jacket I received three weeks ago?', customer: 'Lee' },
] as const;

/** A run is claimed, not handed over: give up after this many claims without finishing the demo's. */
const MAX_CLAIMS = 50;
const LEASE_MS = 60_000;

/** Queues the demo questions for the agent (again: the same runs). */
export async function queueDemoRuns(actor: Actor, agentId: string): Promise<DemoRunRef[]> {
  return withWorkspace(actor.workspaceId, async (tx) => {
    const refs: DemoRunRef[] = [];
    for (const question of DEMO_QUESTIONS) {
      const run = await startRun(tx, actor, {
        agentId,
        input: question.input,
        variables: { customer_name: question.customer },
        idempotencyKey: question.key,
      });
      refs.push({ workspaceId: actor.workspaceId, runId: run.id });
    }
    return refs;
  });
}

async function statusOf(ref: DemoRunRef): Promise<RunState> {
  return (await withWorkspace(ref.workspaceId, (tx) => runById(tx, ref.workspaceId, ref.runId))).status;
}

/**
 * Executes queued runs until every one of `refs` has finished, as a worker would
 * (through the one claim order, so a run another seed step queued is run too).
 */
export async function executeDemoRuns(refs: DemoRunRef[]): Promise<void> {
  const pending = async () => (await Promise.all(refs.map(async (ref) => (isFinished(await statusOf(ref)) ? null : ref)))).filter(Boolean);
  if ((await pending()).length === 0) return;
  const model = await startLocalModelServer({ port: 0, host: '127.0.0.1' });
  const sandbox = createQuickJsSandbox();
  const gateway = createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl: model.url, timeoutMs: 30_000 }) });
  const deps = { gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId: 'demo-seed', leaseMs: LEASE_MS };
  try {
    for (let claims = 0; claims < MAX_CLAIMS; claims++) {
      const document = await claimNextDocument(deps.workerId, LEASE_MS);
      if (!document) break;
      await ingestDocument({ gateway, egressAdapters: nodeEgressAdapters, workerId: deps.workerId, leaseMs: LEASE_MS, batchSize: 16 }, document);
    }
    for (let claims = 0; claims < MAX_CLAIMS && (await pending()).length > 0; claims++) {
      const claimed = await claimNextRun(deps.workerId, LEASE_MS);
      if (!claimed) break;
      await executeRun(deps, claimed);
    }
    const left = await pending();
    if (left.length) logger.warn({ runs: left.length }, 'some demo runs did not finish while seeding; the worker picks them up');
  } finally {
    await sandbox.close();
    await model.stop();
  }
}
