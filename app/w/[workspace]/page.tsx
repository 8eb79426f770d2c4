import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/workspace/page-header';
import { resolveWorkspace } from './resolve-workspace';

const ACTIONS: Record<string, string> = {
  'workspace.created': 'created the workspace',
  'workspace.updated': 'updated the settings',
  'invitation.created': 'invited',
  'invitation.revoked': 'revoked the invitation of',
  'invitation.accepted': 'joined as',
  'member.role_changed': 'changed a role',
  'member.removed': 'removed a member',
  'member.left': 'left the workspace',
};

export default async function WorkspaceHome({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const { caller, workspace } = await resolveWorkspace(slug);
  const [details, activity, members] = await Promise.all([
    caller.workspaces.get({ workspaceId: workspace.id }),
    caller.workspaces.activity({ workspaceId: workspace.id }),
    caller.members.list({ workspaceId: workspace.id }),
  ]);
  const nameOf = new Map(members.map((m) => [m.userId, m.name]));
  const stats = [
    { label: 'Your role', value: workspace.role },
    { label: 'Members', value: String(details.memberCount) },
    { label: 'Plan', value: details.plan },
  ];
  return (
    <>
      <PageHeader title={details.name} description={`Created ${details.createdAt.toLocaleDateString('en', { dateStyle: 'medium' })}`} />
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
          {activity.length === 0 ? (
            <EmptyState title="Nothing has happened yet" />
          ) : (
            <ul className="divide-y divide-slate-100">
              {activity.map((event) => (
                <li key={event.id} className="flex items-baseline justify-between gap-4 py-2 text-sm">
                  <span className="text-slate-700">
                    <span className="font-medium text-slate-900">{(event.actorUserId && nameOf.get(event.actorUserId)) ?? 'Someone'}</span>{' '}
                    {ACTIONS[event.action] ?? event.action}
                    {event.action.startsWith('invitation.') && event.target ? ` ${event.target}` : ''}
                  </span>
                  <time className="shrink-0 text-xs text-slate-500" dateTime={event.createdAt.toISOString()}>
                    {event.createdAt.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' })}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Getting started">
          <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
            <li>
              <Link className="text-accent-700 hover:underline" href={`/w/${workspace.slug}/members`}>
                Invite your team
              </Link>{' '}
              and give each person a role.
            </li>
            <li>
              Review{' '}
              <Link className="text-accent-700 hover:underline" href={`/w/${workspace.slug}/settings`}>
                workspace settings
              </Link>
              .
            </li>
            <li>Agents, knowledge and budgets arrive in the next releases.</li>
          </ol>
        </Card>
      </div>
    </>
  );
}
