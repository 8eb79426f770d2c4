// The run worker's hot statements (migrations 0015, 0016, 0027): the claim, the
// start-of-run read, the step write with its span and the finish with the
// run's root span, and the pause for an approval, each one call of a function that takes
// the app role and its context transaction-locally before it touches a row —
// the guarantee of withWorkspace() at one round trip instead of an interactive
// transaction. Only server/agents/{claim-order,run-context,run-lease}.ts call these.
import { NotFound } from '../domain-errors';
import { callStatement } from './statement-pool';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertIds(...ids: string[]): void {
  if (!ids.every((id) => UUID.test(id))) throw new NotFound('Run not found');
}

export type ClaimedRunRow = { id: string; workspace_id: string; attempt_count: number };

/** The next run in claim order, now leased to `workerId`; null when none is waiting. */
export async function claimRunRow(workerId: string, leaseMs: number): Promise<ClaimedRunRow | null> {
  const rows = await callStatement<ClaimedRunRow>('claim_next_run', 'SELECT id, workspace_id, attempt_count FROM claim_next_run($1, $2)', [
    workerId,
    Math.round(leaseMs),
  ]);
  return rows[0] ?? null;
}

/** The start_run_context() object: rows as JSON, keys as the columns are named. */
export type RunStartRow = {
  run: Record<string, unknown>;
  version: Record<string, unknown> | null;
  agentName: string;
  allowPrivateAddresses: boolean;
  /** The workspace's plan caps on every run (migration 0023). */
  limits: { maxRunDurationMs: number; maxSteps: number };
};

/** The run, its version and the egress grant, with the run's deadline fixed on its first start; null when it is not this workspace's run. */
export async function runStartRow(workspaceId: string, runId: string): Promise<RunStartRow | null> {
  assertIds(workspaceId, runId);
  const rows = await callStatement<{ context: RunStartRow | null }>('start_run_context', 'SELECT start_run_context($1, $2) AS context', [workspaceId, runId]);
  return rows[0]?.context ?? null;
}

export type LeaseKey = { workspaceId: string; runId: string; workerId: string };

/** A run step as stored; JSON columns are already JSON text (or null). */
export type RunStepRow = {
  stepIndex: number;
  kind: string;
  status: string;
  request: string | null;
  response: string | null;
  toolName: string | null;
  toolCallId: string | null;
  toolArgs: string | null;
  toolResult: string | null;
  error: string | null;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: string | number;
  latencyMs: number;
  startedAt: Date | string;
  finishedAt: Date | string | null;
};

const WRITE_STEP =
  'SELECT write_run_step($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) AS written';

/** What a step write did: nothing (the lease is not the caller's), or the step and its span, the span new or already there. */
export type StepWrite = { held: boolean; spanWritten: boolean };

/**
 * Writes the step and its trace span (JSON) if `workerId` holds the run's lease;
 * a step or span already written stays as it was.
 */
export async function writeRunStepRow(lease: LeaseKey, step: RunStepRow, span: object): Promise<StepWrite> {
  assertIds(lease.workspaceId, lease.runId);
  const rows = await callStatement<{ written: number }>('write_run_step', WRITE_STEP, [
    lease.workspaceId,
    lease.runId,
    lease.workerId,
    step.stepIndex,
    step.kind,
    step.status,
    step.request,
    step.response,
    step.toolName,
    step.toolCallId,
    step.toolArgs,
    step.toolResult,
    step.error,
    step.provider,
    step.model,
    step.inputTokens,
    step.outputTokens,
    step.costUsd,
    step.latencyMs,
    step.startedAt,
    step.finishedAt,
    JSON.stringify(span),
  ]);
  const written = rows[0]?.written ?? -1;
  return { held: written >= 0, spanWritten: written === 1 };
}

/** The root span as finish_run() wrote it: its times and its attributes with the run's totals. */
export type WrittenRunSpan = { startedAt: string; endedAt: string; attributes: Record<string, unknown> };

/**
 * Sets the run's final state, drops the lease and writes the run's root span
 * (`span`, whose times and totals the function fills in under `totalKeys`), if
 * `workerId` still holds the lease. Null when it does not; `{ span: null }` when
 * the root span was already there.
 */
export async function finishRunRow(
  lease: LeaseKey,
  outcome: { status: string; output: string | null; error: string | null },
  span: object,
  totalKeys: [inputTokens: string, outputTokens: string, costUsd: string],
): Promise<{ span: WrittenRunSpan | null } | null> {
  assertIds(lease.workspaceId, lease.runId);
  const rows = await callStatement<{ finished: { span: WrittenRunSpan | null } | null }>(
    'finish_run',
    'SELECT finish_run($1, $2, $3, $4, $5, $6, $7, $8) AS finished',
    [lease.workspaceId, lease.runId, lease.workerId, outcome.status, outcome.output, outcome.error, JSON.stringify(span), totalKeys],
  );
  return rows[0]?.finished ?? null;
}

/** What a step asks an admin to approve, as pause_run_for_approval() (migration 0027) records it. */
export type ApprovalAskRow = {
  stepIndex: number;
  kind: 'tool' | 'model';
  toolName: string | null;
  /** JSON text, or null. */
  toolArgs: string | null;
  model: string | null;
  estimatedCostUsd: number | null;
  rule: string;
  expiresAfterMinutes: number;
};

/** What the pause did: paused, nothing (the lease is not the caller's), or nothing because a cancel was asked for. */
export type PauseOutcome = 'paused' | 'lease_lost' | 'cancel_requested';

/**
 * Records the approval the step asks for and moves the run from running to
 * awaiting_approval, dropping the lease, if `workerId` holds it; one statement.
 */
export async function pauseRunRow(lease: LeaseKey, ask: ApprovalAskRow): Promise<PauseOutcome> {
  assertIds(lease.workspaceId, lease.runId);
  const rows = await callStatement<{ paused: number }>(
    'pause_run_for_approval',
    'SELECT pause_run_for_approval($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS paused',
    [
      lease.workspaceId,
      lease.runId,
      lease.workerId,
      ask.stepIndex,
      ask.kind,
      ask.toolName,
      ask.toolArgs,
      ask.model,
      ask.estimatedCostUsd,
      ask.rule,
      ask.expiresAfterMinutes,
    ],
  );
  const paused = rows[0]?.paused ?? -1;
  return paused === 1 ? 'paused' : paused === 0 ? 'cancel_requested' : 'lease_lost';
}
