// Usage read back from the ledger for the usage page: tokens, cost and calls per
// day (every day of the period, zeros included), per model and per agent. Each
// query names the workspace explicitly as well as running under its RLS policy.
// The response cache's hit rate is hits / chat calls (a hit is a chat row with
// cached = true), for the period and per agent.
import type { Tx } from '../db/with-workspace';

export const USAGE_PERIODS = { '7d': 7, '30d': 30, '90d': 90 } as const;
export type UsagePeriod = keyof typeof USAGE_PERIODS;

export type UsageFigures = { inputTokens: number; outputTokens: number; costUsd: number; calls: number; errors: number };
export type UsageSummary = {
  from: Date;
  to: Date;
  totals: UsageFigures & { unpricedCalls: number };
  byDay: (UsageFigures & { day: string })[];
  byModel: (UsageFigures & { provider: string; model: string })[];
  byAgent: (UsageFigures & { agentId: string | null; agentName: string | null })[];
  cache: CacheFigures & { byAgent: (CacheFigures & { agentId: string; agentName: string | null })[] };
};

/** hitRate: hits / calls, 0 without calls. */
export type CacheFigures = { calls: number; hits: number; hitRate: number };

const cacheFigures = (calls: number, hits: number): CacheFigures => ({ calls, hits, hitRate: calls > 0 ? hits / calls : 0 });

type FigureRow = { input_tokens: number; output_tokens: number; cost_usd: number; calls: number; errors: number };

const figures = (r: FigureRow): UsageFigures => ({
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  costUsd: Number(r.cost_usd),
  calls: Number(r.calls),
  errors: Number(r.errors),
});

/** Days are UTC calendar days; the period ends today and includes it. */
export async function usageSummary(tx: Tx, workspaceId: string, period: UsagePeriod, now: Date): Promise<UsageSummary> {
  const days = USAGE_PERIODS[period];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (days - 1) * 86_400_000);
  const to = new Date(today + 86_400_000);

  const [totals] = await tx.$queryRaw<(FigureRow & { unpriced: number })[]>`
    SELECT coalesce(sum(input_tokens), 0)::float8 AS input_tokens, coalesce(sum(output_tokens), 0)::float8 AS output_tokens,
           coalesce(sum(cost_usd), 0)::float8 AS cost_usd, count(*)::int AS calls,
           count(*) FILTER (WHERE status = 'error')::int AS errors,
           count(*) FILTER (WHERE NOT price_known)::int AS unpriced
    FROM usage_events WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${to}`;
  const perDay = await tx.$queryRaw<(FigureRow & { day: string })[]>`
    SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           sum(input_tokens)::float8 AS input_tokens, sum(output_tokens)::float8 AS output_tokens,
           sum(cost_usd)::float8 AS cost_usd, count(*)::int AS calls, count(*) FILTER (WHERE status = 'error')::int AS errors
    FROM usage_events WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${to}
    GROUP BY 1`;
  const perModel = await tx.$queryRaw<(FigureRow & { provider: string; model: string })[]>`
    SELECT provider, model, sum(input_tokens)::float8 AS input_tokens, sum(output_tokens)::float8 AS output_tokens,
           sum(cost_usd)::float8 AS cost_usd, count(*)::int AS calls, count(*) FILTER (WHERE status = 'error')::int AS errors
    FROM usage_events WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${to}
    GROUP BY provider, model ORDER BY sum(cost_usd) DESC, count(*) DESC`;
  const perAgent = await tx.$queryRaw<(FigureRow & { agent_id: string | null; agent_name: string | null })[]>`
    SELECT u.agent_id::text AS agent_id, a.name AS agent_name,
           sum(u.input_tokens)::float8 AS input_tokens, sum(u.output_tokens)::float8 AS output_tokens,
           sum(u.cost_usd)::float8 AS cost_usd, count(*)::int AS calls, count(*) FILTER (WHERE u.status = 'error')::int AS errors
    FROM usage_events u
    LEFT JOIN agents a ON a.workspace_id = u.workspace_id AND a.id = u.agent_id
    WHERE u.workspace_id = ${workspaceId}::uuid AND u.created_at >= ${from} AND u.created_at < ${to}
    GROUP BY u.agent_id, a.name ORDER BY sum(u.cost_usd) DESC, count(*) DESC`;

  const perAgentCache = await tx.$queryRaw<{ agent_id: string; agent_name: string | null; calls: number; hits: number }[]>`
    SELECT u.agent_id::text AS agent_id, a.name AS agent_name, count(*)::int AS calls, count(*) FILTER (WHERE u.cached)::int AS hits
    FROM usage_events u
    LEFT JOIN agents a ON a.workspace_id = u.workspace_id AND a.id = u.agent_id
    WHERE u.workspace_id = ${workspaceId}::uuid AND u.created_at >= ${from} AND u.created_at < ${to}
      AND u.task_type = 'chat' AND u.agent_id IS NOT NULL
    GROUP BY u.agent_id, a.name ORDER BY count(*) FILTER (WHERE u.cached) DESC, count(*) DESC`;
  const [chat] = await tx.$queryRaw<{ calls: number; hits: number }[]>`
    SELECT count(*)::int AS calls, count(*) FILTER (WHERE cached)::int AS hits
    FROM usage_events WHERE workspace_id = ${workspaceId}::uuid AND created_at >= ${from} AND created_at < ${to} AND task_type = 'chat'`;

  const byDay = Array.from({ length: days }, (_, i) => {
    const day = new Date(from.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const row = perDay.find((r) => r.day === day);
    return { day, ...(row ? figures(row) : { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, errors: 0 }) };
  });
  return {
    from,
    to,
    totals: { ...figures(totals!), unpricedCalls: Number(totals!.unpriced) },
    byDay,
    byModel: perModel.map((r) => ({ provider: r.provider, model: r.model, ...figures(r) })),
    byAgent: perAgent.map((r) => ({ agentId: r.agent_id, agentName: r.agent_name, ...figures(r) })),
    cache: {
      ...cacheFigures(Number(chat!.calls), Number(chat!.hits)),
      byAgent: perAgentCache.map((r) => ({ agentId: r.agent_id, agentName: r.agent_name, ...cacheFigures(Number(r.calls), Number(r.hits)) })),
    },
  };
}
