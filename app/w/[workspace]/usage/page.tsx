// Usage: tokens, cost and calls from the append-only ledger over 7, 30 or 90
// days, per day, per model and per agent, and the response cache's hit rate.
// Every role may read it.
import Link from 'next/link';
import { CostByChart, DailyUsageCharts } from '@/components/charts/usage-charts';
import { formatUsd, UsageTable } from '@/components/charts/usage-table';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Usage', (await params).workspace);
}

const PERIODS = ['7d', '30d', '90d'] as const;
type Period = (typeof PERIODS)[number];

const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;

type CacheUsage = { calls: number; hits: number; hitRate: number; byAgent: { agentId: string; agentName: string | null; calls: number; hits: number; hitRate: number }[] };

function CacheHitRate({ cache }: { cache: CacheUsage }) {
  return (
    <div className="space-y-3" data-testid="usage-cache">
      <p className="text-sm text-slate-700">
        Hit rate <span className="text-lg font-semibold text-slate-900" data-testid="cache-hit-rate">{percent(cache.hitRate)}</span>{' '}
        <span className="text-slate-500">
          ({cache.hits} of {cache.calls} chat calls answered from the cache, at no cost)
        </span>
      </p>
      {cache.hits === 0 ? (
        <EmptyState title="No cache hits in this period">Turn the response cache on in an agent's settings to answer repeated questions without a model call.</EmptyState>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Cache hit rate per agent</caption>
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th scope="col" className="py-1 font-medium">Agent</th>
              <th scope="col" className="py-1 text-right font-medium">Chat calls</th>
              <th scope="col" className="py-1 text-right font-medium">Cache hits</th>
              <th scope="col" className="py-1 text-right font-medium">Hit rate</th>
            </tr>
          </thead>
          <tbody>
            {cache.byAgent.map((a) => (
              <tr key={a.agentId} className="border-t border-slate-100">
                <td className="py-1">{a.agentName ?? 'A deleted agent'}</td>
                <td className="py-1 text-right font-mono">{a.calls}</td>
                <td className="py-1 text-right font-mono">{a.hits}</td>
                <td className="py-1 text-right font-mono">{percent(a.hitRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export default async function UsagePage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<{ period?: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/usage');
  const requested = (await searchParams).period;
  const period: Period = PERIODS.includes(requested as Period) ? (requested as Period) : '30d';
  const { caller, workspace } = await resolveWorkspace(slug);
  const usage = await caller.usage.summary({ workspaceId: workspace.id, period });
  const { totals } = usage;
  const byModel = usage.byModel.map((m) => ({ ...m, key: `${m.provider}/${m.model}`, name: `${m.provider} / ${m.model}` }));
  const byAgent = usage.byAgent.map((a) => ({ ...a, key: a.agentId ?? 'none', name: a.agentId ? (a.agentName ?? 'A deleted agent') : 'Direct calls (no agent)' }));
  return (
    <>
      <PageHeader title="Usage" description="Model calls of this workspace from the usage ledger: tokens, cost (from the price table) and calls." />
      <nav aria-label="Period" className="mb-4 flex gap-2">
        {PERIODS.map((p) => (
          <Link
            key={p}
            href={`/w/${slug}/usage?period=${p}`}
            aria-current={p === period ? 'page' : undefined}
            className={`inline-flex min-h-10 items-center rounded-md px-3 py-1 text-sm sm:min-h-0 ring-1 ring-inset ${p === period ? 'bg-accent-600 text-white ring-accent-600' : 'text-slate-700 ring-slate-300 hover:bg-slate-50'}`}
          >
            Last {p.replace('d', ' days')}
          </Link>
        ))}
      </nav>
      <div className="space-y-6">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="usage-totals">
          {[
            ['Calls', String(totals.calls)],
            ['Input tokens', totals.inputTokens.toLocaleString('en')],
            ['Output tokens', totals.outputTokens.toLocaleString('en')],
            ['Cost', formatUsd(totals.costUsd)],
          ].map(([label, value]) => (
            <div key={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <dt className="text-xs text-slate-500">{label}</dt>
              <dd className="text-lg font-semibold text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
        {totals.unpricedCalls > 0 && <Alert tone="info">{totals.unpricedCalls} calls used models missing from the price table; they are counted at $0.</Alert>}
        {totals.calls === 0 ? (
          <Card title="No usage yet">
            <EmptyState title={`No model calls in the last ${period.replace('d', ' days')}`}>Try a provider on the Providers page, or run an agent.</EmptyState>
          </Card>
        ) : (
          <>
            <Card title="Per day">
              <DailyUsageCharts days={usage.byDay} />
            </Card>
            <div className="grid gap-6 lg:grid-cols-2">
              <Card title="Per model">
                <CostByChart label="Cost per model" rows={byModel} />
                <UsageTable caption="Usage per model" nameHeader="Model" rows={byModel} testId="usage-by-model" monospace />
              </Card>
              <Card title="Per agent">
                <CostByChart label="Cost per agent" rows={byAgent} />
                <UsageTable caption="Usage per agent" nameHeader="Agent" rows={byAgent} testId="usage-by-agent" />
              </Card>
            </div>
            <Card title="Response cache">
              <CacheHitRate cache={usage.cache} />
            </Card>
          </>
        )}
      </div>
    </>
  );
}
