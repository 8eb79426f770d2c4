// The approvals inbox: steps of runs waiting for an admin (the oldest first, with
// the run, what is asked and when it expires), approved or rejected here with a
// reason; then the decided history, and the approval rules of the policy in
// force. Everyone sees it; owners and admins decide and change the rules.
import Link from 'next/link';
import { ApprovalAsked } from '@/components/approvals/approval-asked';
import { ApprovalDecisionForm } from '@/components/approvals/approval-decision-form';
import { ApprovalRulesForm } from '@/components/approvals/approval-rules-form';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Approvals', (await params).workspace);
}

const DECISION_LABEL = { approved: 'Approved', rejected: 'Rejected', expired: 'Expired', cancelled: 'Cancelled' } as const;
const DECISION_TONE = { approved: 'text-emerald-700', rejected: 'text-red-700', expired: 'text-amber-800', cancelled: 'text-slate-600' } as const;

export default async function ApprovalsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/approvals');
  const { caller, workspace } = await resolveWorkspace(slug);
  const [{ pending, decided }, rules] = await Promise.all([
    caller.approvals.list({ workspaceId: workspace.id, limit: 100 }),
    caller.approvals.rules({ workspaceId: workspace.id }),
  ]);
  const canDecide = roleHasScope(workspace.role, 'approvals:decide');
  const canChangeRules = roleHasScope(workspace.role, 'workspace:update');
  const runLink = (runId: string) => `/w/${workspace.slug}/runs/${runId}`;
  return (
    <>
      <PageHeader
        title="Approvals"
        description={
          canDecide
            ? 'Runs paused by the approval rules of your policy wait here until you approve or reject the step, or it expires.'
            : 'Runs paused by the approval rules of your policy. Only owners and admins can approve or reject them.'
        }
      />
      <div className="space-y-6">
        <Card title={`Waiting for a decision (${pending.length})`}>
          {pending.length === 0 ? (
            <EmptyState title="Nothing is waiting">A run whose step needs an approval appears here until it is decided.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="pending-approvals">
              {pending.map((p) => (
                <li key={p.id} className="grid gap-4 py-4 md:grid-cols-2" data-testid="pending-approval">
                  <div className="space-y-2">
                    <p className="text-sm">
                      <Link href={runLink(p.runId)} className="font-medium text-accent-700 hover:underline">
                        {p.agentName} · run {p.runId.slice(0, 8)}
                      </Link>
                    </p>
                    <ApprovalAsked approval={p} />
                    <p className="text-xs text-slate-500">
                      Asked <LocalTime date={p.requestedAt} withTime /> · expires <LocalTime date={p.expiresAt} withTime />
                    </p>
                  </div>
                  {canDecide ? (
                    <ApprovalDecisionForm workspaceId={workspace.id} approvalId={p.id} label={`${p.agentName} run ${p.runId.slice(0, 8)}`} />
                  ) : (
                    <p className="text-sm text-slate-500">An owner or admin decides this step.</p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Decided" description="The most recent decisions, newest first.">
          {decided.length === 0 ? (
            <EmptyState title="No decisions yet" />
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="decided-approvals">
              {decided.map((d) => (
                <li key={d.id} className="space-y-1 py-3 text-sm" data-testid="decided-approval">
                  <p>
                    <span className={`font-medium ${d.decision ? DECISION_TONE[d.decision] : ''}`}>{d.decision ? DECISION_LABEL[d.decision] : ''}</span>
                    {d.decidedByName && <> by {d.decidedByName}</>}
                    {d.decidedAt && (
                      <>
                        {' '}
                        · <LocalTime date={d.decidedAt} withTime />
                      </>
                    )}
                    {' · '}
                    <Link href={runLink(d.runId)} className="text-accent-700 hover:underline">
                      {d.agentName} · run {d.runId.slice(0, 8)}
                    </Link>{' '}
                    <span className="text-slate-500">({d.runStatus.replace('_', ' ')})</span>
                  </p>
                  <ApprovalAsked approval={d} />
                  {d.reason && <p className="text-slate-700">Reason: {d.reason}</p>}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card
          title="Approval rules"
          description={rules.policyVersion ? `From policy version ${rules.policyVersion}. Runs already waiting keep the expiry they were given.` : 'No policy saved yet: nothing waits for an approval.'}
        >
          {canChangeRules ? (
            <ApprovalRulesForm workspaceId={workspace.id} rules={rules} />
          ) : (
            <dl className="grid gap-2 text-sm sm:grid-cols-3">
              <div>
                <dt className="text-slate-500">Tools</dt>
                <dd className="font-mono text-slate-900">{rules.tools.length ? rules.tools.join(', ') : 'none'}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Model calls above</dt>
                <dd className="font-mono text-slate-900">{rules.costAboveUsd === null ? 'never' : `$${rules.costAboveUsd}`}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Expires after</dt>
                <dd className="text-slate-900">{rules.expiresAfterMinutes} minutes</dd>
              </div>
            </dl>
          )}
        </Card>
      </div>
    </>
  );
}
