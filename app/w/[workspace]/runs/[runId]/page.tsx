// One run: its state, input and answer, tokens and cost, its trace as a waterfall,
// and every step (model calls, tool calls with arguments and results), and the
// approvals its steps asked for (a waiting run says so, with a link to the inbox).
// A run of another workspace is a 404.
import Link from 'next/link';
import { ApprovalAsked } from '@/components/approvals/approval-asked';
import { CancelRunButton } from '@/components/runs/cancel-run-button';
import { LocalTime } from '@/components/ui/local-time';
import { RunSteps } from '@/components/runs/run-steps';
import { RunCitations } from '@/components/runs/run-citations';
import { TraceWaterfall } from '@/components/traces/trace-waterfall';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { resolveRun, runPageTitle } from '@/components/runs/resolve-run';
import { roleHasScope } from '@/server/tenancy/roles';
import { canonicalWorkspacePath } from '@/components/workspace/resolve-workspace';

type Params = { workspace: string; runId: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  const { workspace, runId } = await params;
  return { title: await runPageTitle(workspace, runId) };
}

export default async function RunPage({ params }: { params: Promise<Params> }) {
  const { workspace: slug, runId } = await params;
  canonicalWorkspacePath(slug, `/runs/${runId}`);
  const { caller, workspace, run } = await resolveRun(slug, runId);
  const [trace, approvals] = await Promise.all([
    caller.traces.forRun({ workspaceId: workspace.id, runId }),
    caller.approvals.forRun({ workspaceId: workspace.id, runId }),
  ]);
  const unfinished = run.status === 'queued' || run.status === 'running' || run.status === 'awaiting_approval';
  const canCancel = unfinished && !run.cancelRequested && roleHasScope(workspace.role, 'runs:write');
  const waitingFor = run.status === 'awaiting_approval' ? approvals.find((a) => a.decision === null) : undefined;
  return (
    <>
      <PageHeader
        title={`${run.agentName} · run`}
        description={
          <>
            Version <span className="font-mono">v{run.agentVersion}</span> · <span className="font-mono">{run.status.replace('_', ' ')}</span> ·{' '}
            {run.totals.inputTokens + run.totals.outputTokens} tokens · <span className="font-mono">${run.totals.costUsd.toFixed(6)}</span>
            {run.endUserId && (
              <>
                {' '}
                · end user <span className="font-mono">{run.endUserId}</span>
                {run.threadId && (
                  <>
                    {' '}
                    · thread <span className="font-mono">{run.threadId.slice(0, 8)}</span>
                  </>
                )}
              </>
            )}
          </>
        }
      />
      <div className="space-y-6">
        <Card title="Input">
          <p className="text-sm whitespace-pre-wrap text-slate-800">{run.input}</p>
        </Card>
        {run.output && (
          <Card title="Answer">
            <p className="text-sm whitespace-pre-wrap text-slate-800">{run.output}</p>
            <div className="mt-4">
              <RunCitations steps={run.steps} />
            </div>
          </Card>
        )}
        {run.status === 'awaiting_approval' && (
          <div data-testid="run-awaiting-approval">
            <Alert tone="info">
              Awaiting approval{waitingFor && <> of step {waitingFor.stepIndex + 1} until <LocalTime date={waitingFor.expiresAt} withTime /></>}. An owner or admin
              approves or rejects it in{' '}
              <Link href={`/w/${workspace.slug}/approvals`} className="font-medium underline">
                Approvals
              </Link>
              ; the run then continues from this step, or fails.
            </Alert>
          </div>
        )}
        {run.error && <Alert tone="warning">{run.error}</Alert>}
        {run.cancelRequested && unfinished && <Alert tone="info">Cancel requested: the run stops at its next step.</Alert>}
        {canCancel && <CancelRunButton workspaceId={workspace.id} runId={run.id} />}
        <Card title="Trace" description={<>Trace ID <span className="font-mono text-xs">{trace.traceId}</span></>}>
          <TraceWaterfall trace={trace} />
        </Card>
        {approvals.length > 0 && (
          <Card title={`Approvals (${approvals.length})`}>
            <ul className="divide-y divide-slate-100">
              {approvals.map((a) => (
                <li key={a.id} className="space-y-1 py-3 text-sm">
                  <p className="font-medium text-slate-900">
                    {a.decision === null ? 'Waiting' : `${a.decision[0]!.toUpperCase()}${a.decision.slice(1)}`}
                    {a.decidedByName && <> by {a.decidedByName}</>}
                    {a.decidedAt && (
                      <>
                        {' '}
                        · <LocalTime date={a.decidedAt} withTime />
                      </>
                    )}
                  </p>
                  <ApprovalAsked approval={a} />
                  {a.reason && <p className="text-slate-700">Reason: {a.reason}</p>}
                </li>
              ))}
            </ul>
          </Card>
        )}
        <Card title={`Steps (${run.steps.length})`}>
          <RunSteps steps={run.steps} />
        </Card>
      </div>
    </>
  );
}
