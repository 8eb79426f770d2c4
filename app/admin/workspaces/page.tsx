// The operator's workspace directory: each workspace's name and whether it may
// reach private network addresses (an in-cluster vLLM, an internal API), with a
// confirmed, audited grant and revoke; and each workspace's plan and per-limit
// overrides, audited in the workspace. No tenant content. Anyone else gets the not-found page.
import { notFound, redirect } from 'next/navigation';
import { PrivateEgressSwitch } from '@/components/admin/private-egress-switch';
import { WorkspaceLimitsForm } from '@/components/admin/workspace-limits-form';
import { OperatorSearch, OperatorShell } from '@/components/admin/operator-shell';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

/** A tenant user gets the not-found page, so its title too. */
export async function generateMetadata() {
  const user = await currentSessionUser();
  return { title: user?.isOperator ? 'Workspaces' : 'Page not found' };
}

export default async function AdminWorkspacesPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await currentSessionUser();
  if (!user) redirect('/sign-in?callbackUrl=/admin/workspaces');
  if (!user.isOperator) notFound();
  const { q } = await searchParams;
  const search = typeof q === 'string' ? q.slice(0, 100) : undefined;
  const caller = await serverCaller();
  const workspaces = await caller.admin.workspaces({ search });
  const limits = await caller.limits.directory({ search });
  return (
    <OperatorShell current="Workspaces" userName={user.name}>
        <Card
          title="Private-address egress"
          description="By default no workspace's model providers or tools may reach private, loopback or link-local addresses. Grant it to a workspace that needs an in-cluster service; cloud metadata addresses stay closed either way. Each change is recorded in the workspace's audit log."
        >
          <OperatorSearch id="workspace-search" label="Search by name or slug" search={search} />
          {workspaces.length === 0 ? (
            <EmptyState title={search ? 'No workspaces match' : 'No workspaces yet'} />
          ) : (
            <ul className="divide-y divide-slate-200" aria-label="Workspaces">
              {workspaces.map((w) => (
                <li key={w.id} aria-label={w.name} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div>
                    <p className="text-sm font-medium text-slate-900">
                      {w.name} <span className="font-normal text-slate-500">/{w.slug}</span>
                    </p>
                    <p className="text-xs text-slate-500">
                      {w.allowPrivateAddresses ? 'Private addresses allowed' : 'Private addresses refused'}
                      {w.updatedAt && (
                        <>
                          {' · changed '}
                          <LocalTime date={w.updatedAt} withTime />
                        </>
                      )}
                    </p>
                  </div>
                  <PrivateEgressSwitch workspaceId={w.id} name={w.name} allowed={w.allowPrivateAddresses} />
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card
          className="mt-6"
          title="Plans and limits"
          description="Each workspace's plan sets its rate limits, concurrency, run caps, knowledge storage and scheduling weight; an override replaces one limit for that workspace only. Each change is recorded in the workspace's audit log."
        >
          {limits.workspaces.length === 0 ? (
            <EmptyState title={search ? 'No workspaces match' : 'No workspaces yet'} />
          ) : (
            <ul className="divide-y divide-slate-200" aria-label="Plans and limits">
              {limits.workspaces.map((w) => {
                const overridden = Object.values(w.overrides).filter((v) => v !== null).length;
                const planName = limits.plans.find((p) => p.id === w.plan)?.name ?? w.plan;
                return (
                  <li key={w.id} className="py-3">
                    <details>
                      <summary className="min-h-10 cursor-pointer py-2 text-sm font-medium break-words text-slate-900">
                        {w.name} <span className="font-normal text-slate-500">/{w.slug}</span>
                        <span className="ml-2 font-normal text-slate-600" data-testid="workspace-plan">
                          {planName} plan{overridden ? ` · ${overridden} override${overridden === 1 ? '' : 's'}` : ''}
                        </span>
                      </summary>
                      <div className="mt-4">
                        <WorkspaceLimitsForm workspaceId={w.id} name={w.name} plan={w.plan} overrides={w.overrides} plans={limits.plans} />
                      </div>
                    </details>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
    </OperatorShell>
  );
}
