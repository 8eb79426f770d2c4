// Runs: the workspace's runs, newest first, filtered by agent, status and a time
// window through the query string (?agent=&status=&from=&to=, dates as YYYY-MM-DD).
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { RUN_STATES, type RunState } from '@/server/agents/run-states';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Runs', (await params).workspace);
}

type Search = { agent?: string; status?: string; from?: string; to?: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export default async function RunsPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Search> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/runs');
  const search = await searchParams;
  const { caller, workspace } = await resolveWorkspace(slug);
  const agents = await caller.agents.list({ workspaceId: workspace.id });
  const agentId = agents.some((a) => a.id === search.agent) ? search.agent : undefined;
  const status = RUN_STATES.includes(search.status as RunState) ? (search.status as RunState) : undefined;
  const from = search.from && DAY.test(search.from) ? new Date(`${search.from}T00:00:00Z`) : undefined;
  const to = search.to && DAY.test(search.to) ? new Date(`${search.to}T23:59:59.999Z`) : undefined;
  const runs = await caller.runs.list({ workspaceId: workspace.id, agentId, status, from, to });
  return (
    <>
      <PageHeader title="Runs" description="Every run of the workspace's agents: its state, its answer, and the steps it took." />
      <div className="space-y-6">
        <Card>
          <form className="grid gap-3 sm:grid-cols-5 sm:items-end" aria-label="Filter runs">
            <SelectField label="Agent" name="agent" defaultValue={agentId ?? ''} options={[{ value: '', label: 'All agents' }, ...agents.map((a) => ({ value: a.id, label: a.name }))]} />
            <SelectField label="Status" name="status" defaultValue={status ?? ''} options={[{ value: '', label: 'Any status' }, ...RUN_STATES.map((s) => ({ value: s, label: s.replace('_', ' ') }))]} />
            <TextField label="From" name="from" type="date" defaultValue={from ? search.from : ''} />
            <TextField label="To" name="to" type="date" defaultValue={to ? search.to : ''} />
            <Button type="submit" variant="secondary">Filter</Button>
          </form>
        </Card>
        <Card title={`Runs (${runs.length})`}>
          {runs.length === 0 ? (
            <EmptyState title="No runs match">Start one from an agent&apos;s playground.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {runs.map((run) => (
                <li key={run.id} className="flex flex-wrap items-baseline justify-between gap-2 py-3 text-sm">
                  <Link href={`/w/${slug}/runs/${run.id}`} className="inline-flex min-h-10 items-center font-medium text-accent-700 hover:underline sm:min-h-0">
                    {run.agentName} · v{run.agentVersion}
                  </Link>
                  <span className="min-w-0 flex-1 truncate text-slate-600">{run.input}</span>
                  <span className="font-mono text-xs text-slate-700">{run.status.replace('_', ' ')}</span>
                  <LocalTime date={run.createdAt} withTime className="text-xs text-slate-500" />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
