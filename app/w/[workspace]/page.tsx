// Workspace home: name, your role, member count and plan at a glance, recent
// activity, and a short getting-started panel.
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { ActivityList } from '@/components/workspace/activity-list';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle(null, (await params).workspace);
}

export default async function WorkspaceHome({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '');
  const { caller, workspace } = await resolveWorkspace(slug);
  const [details, activity, members] = await Promise.all([
    caller.workspaces.get({ workspaceId: workspace.id }),
    caller.workspaces.activity({ workspaceId: workspace.id }),
    caller.members.list({ workspaceId: workspace.id }),
  ]);
  const names = new Map(members.map((m) => [m.userId, m.name]));
  const stats = [
    { label: 'Your role', value: workspace.role },
    { label: 'Members', value: String(details.memberCount) },
    { label: 'Plan', value: details.plan },
  ];
  const canInvite = roleHasScope(workspace.role, 'members:write');
  const link = 'font-medium text-accent-700 hover:underline';
  return (
    <>
      <PageHeader
        title={details.name}
        description={
          <>
            Created <LocalTime date={details.createdAt} />
          </>
        }
      />
      <dl className="grid gap-4 sm:grid-cols-3">
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{s.label}</dt>
            <dd className="mt-1 text-lg font-semibold capitalize text-slate-900">{s.value}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title="Recent activity" className="lg:col-span-2">
          <ActivityList events={activity} names={names} />
        </Card>
        <Card title="Getting started">
          <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
            <li>
              {canInvite ? (
                <>
                  <Link className={link} href={`/w/${workspace.slug}/members`}>
                    Invite your team
                  </Link>{' '}
                  and give each person a role.
                </>
              ) : (
                <>
                  See{' '}
                  <Link className={link} href={`/w/${workspace.slug}/members`}>
                    who is in this workspace
                  </Link>
                  .
                </>
              )}
            </li>
            <li>
              Review the{' '}
              <Link className={link} href={`/w/${workspace.slug}/settings`}>
                workspace settings
              </Link>
              .
            </li>
            <li>Agents, knowledge bases and budgets arrive in the next releases; everything stays inside this workspace.</li>
          </ol>
        </Card>
      </div>
    </>
  );
}
