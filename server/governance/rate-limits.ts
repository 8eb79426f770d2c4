// Per-minute rate limits shared exactly by every app and worker process: each take
// is one take_rate_limit() statement (migration 0023) that checks and counts in a
// single INSERT … ON CONFLICT DO UPDATE … WHERE used + n <= limit, so concurrent
// callers anywhere can never together pass the limit. A refusal is LimitExceeded
// naming the limit, with the seconds until the next one-minute window.
import type { Tx } from '../db/with-workspace';
import { callStatement } from '../db/statement-pool';
import { LimitExceeded, NotFound } from '../domain-errors';

export type RateLimitKind = 'runs' | 'model_tokens' | 'api_requests';

/** How each limit is named to people (messages, the limits page). */
export const RATE_LIMIT_NAMES: Record<RateLimitKind, string> = {
  runs: 'runs started per minute',
  model_tokens: 'model tokens per minute',
  api_requests: 'API requests per minute',
};

export type RateLimitTake = {
  workspaceId: string;
  kind: RateLimitKind;
  amount: number;
  /** The window the amount was counted in: a later settlement adjusts this one. */
  windowStart: Date;
  /** This window's count after the take. */
  used: number;
  limit: number;
};

type TakeRow = { admitted: boolean; counted: string | number; limit_value: string | number; window_started: Date; retry_after_seconds: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TAKE = 'SELECT admitted, counted, limit_value, window_started, retry_after_seconds FROM take_rate_limit($1, $2, $3)';
const TAKE_FOR_MEMBER = 'SELECT admitted, counted, limit_value, window_started, retry_after_seconds FROM take_member_rate_limit($1, $2, $3, $4)';
const ADJUST = 'SELECT adjust_rate_limit($1, $2, $3, $4)';

function checkedAmount(amount: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`a rate-limit take must be a whole, non-negative amount (got ${amount})`);
  return amount;
}

function refusalOf(kind: RateLimitKind, amount: number, row: TakeRow): LimitExceeded {
  const limit = Number(row.limit_value);
  const name = RATE_LIMIT_NAMES[kind];
  if (amount > limit) {
    return new LimitExceeded(`This request needs ${amount.toLocaleString('en-US')} ${kind === 'model_tokens' ? 'tokens' : 'units'}, more than this workspace's limit of ${limit.toLocaleString('en-US')} ${name}.`);
  }
  const seconds = row.retry_after_seconds;
  return new LimitExceeded(
    `This workspace has reached its limit of ${limit.toLocaleString('en-US')} ${name}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    seconds,
  );
}

function takeOf(workspaceId: string, kind: RateLimitKind, amount: number, row: TakeRow | undefined): RateLimitTake {
  if (!row) throw new NotFound('Workspace not found');
  if (!row.admitted) throw refusalOf(kind, amount, row);
  return { workspaceId, kind, amount, windowStart: new Date(row.window_started), used: Number(row.counted), limit: Number(row.limit_value) };
}

/**
 * Counts `amount` against the workspace's `kind` limit inside its transaction, so
 * the count commits (or rolls back) with the work it admits. Throws LimitExceeded.
 */
export async function takeRateLimitIn(tx: Tx, workspaceId: string, kind: RateLimitKind, amount = 1): Promise<RateLimitTake> {
  const rows = await tx.$queryRaw<TakeRow[]>`
    SELECT admitted, counted, limit_value, window_started, retry_after_seconds
    FROM take_rate_limit(${workspaceId}::uuid, ${kind}, ${checkedAmount(amount)}::bigint)`;
  return takeOf(workspaceId, kind, amount, rows[0]);
}

/** As takeRateLimitIn(), as one statement of its own (no transaction may be open around it). */
export async function takeRateLimit(workspaceId: string, kind: RateLimitKind, amount = 1): Promise<RateLimitTake> {
  if (!UUID.test(workspaceId)) throw new NotFound('Workspace not found');
  const rows = await callStatement<TakeRow>('take_rate_limit', TAKE, [workspaceId, kind, checkedAmount(amount)]);
  return takeOf(workspaceId, kind, amount, rows[0]);
}

/**
 * One API request of a member of the workspace. A caller who is not a member
 * counts nothing (null) — their request is refused as not found further on — so
 * no one can spend another workspace's limit by naming its id.
 */
export async function takeApiRequest(workspaceId: string, userId: string): Promise<RateLimitTake | null> {
  if (!UUID.test(workspaceId) || !UUID.test(userId)) return null;
  const rows = await callStatement<TakeRow>('take_member_rate_limit', TAKE_FOR_MEMBER, [workspaceId, userId, 'api_requests', 1]);
  if (!rows[0]) return null;
  return takeOf(workspaceId, 'api_requests', 1, rows[0]);
}

/**
 * Before a model call: counts the call's planned tokens (prompt estimate plus the
 * output cap) against the workspace's model tokens per minute, or throws
 * LimitExceeded. Settle it with settleTokens() once the call is over.
 */
export function checkAndTakeTokens(workspaceId: string, plannedTokens: number): Promise<RateLimitTake> {
  return takeRateLimit(workspaceId, 'model_tokens', Math.ceil(plannedTokens));
}

/** After the call: the window keeps the tokens actually used (0 for a failed call) instead of the plan. */
export async function settleTokens(take: RateLimitTake, actualTokens: number): Promise<void> {
  const delta = Math.ceil(actualTokens) - take.amount;
  if (delta === 0) return;
  await callStatement('adjust_rate_limit', ADJUST, [take.workspaceId, take.kind, take.windowStart, delta]);
}
