// Limits: the workspace's plan and what it uses now of each limit — this minute's
// runs started, model tokens and API requests, runs executing now, knowledge
// stored — and the caps every run gets. Every role may read it; the operator sets
// plans and overrides.
import { LimitMeter } from '@/components/governance/limit-meter';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Limits', (await params).workspace);
}
export const dynamic = 'force-dynamic';

export default async function LimitsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/limits');
  const { caller, workspace } = await resolveWorkspace(slug);
  const limits = await caller.limits.usage({ workspaceId: workspace.id });
  const perMinute = limits.usage.filter((u) => u.key.endsWith('PerMinute'));
  const rest = limits.usage.filter((u) => !u.key.endsWith('PerMinute'));
  return (
    <>
      <PageHeader
        title="Limits"
        description={
          <>
            This workspace is on the <strong data-testid="plan-name">{limits.planName}</strong> plan. Over a per-minute limit, requests are
            refused with a message naming the limit until the next minute starts.
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card
          title="This minute"
          description={
            <>
              Counted since <LocalTime date={limits.windowStart} withTime />, shared by every app and worker process.
            </>
          }
        >
          <div className="space-y-4">
            {perMinute.map((u) => (
              <LimitMeter key={u.key} label={u.label} used={u.used} limit={u.limit} unit={u.unit} />
            ))}
          </div>
        </Card>
        <Card title="Now" description="Runs executing at this moment and what the knowledge bases store.">
          <div className="space-y-4">
            {rest.map((u) => (
              <LimitMeter key={u.key} label={u.label} used={u.used} limit={u.limit} unit={u.unit} />
            ))}
          </div>
        </Card>
        <Card title="Every run" description="Caps applied to each run when it starts, over the agent's own settings.">
          <dl className="grid grid-cols-2 gap-3 text-sm">
            <dt className="text-slate-600">Max run duration</dt>
            <dd className="font-mono text-slate-900">{(limits.perRun.maxRunDurationMs / 1000).toLocaleString('en-US')} s</dd>
            <dt className="text-slate-600">Max steps</dt>
            <dd className="font-mono text-slate-900">{limits.perRun.maxSteps}</dd>
          </dl>
        </Card>
      </div>
    </>
  );
}
