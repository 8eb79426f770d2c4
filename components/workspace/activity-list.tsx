// The workspace's recent audit events as readable sentences ("Alice invited bob@…").
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';

type Event = {
  id: string;
  action: string;
  target: string | null;
  actorUserId: string | null;
  createdAt: Date;
  reason: string | null;
  /** What a budget event names: the budget and, for an alert, the threshold reached. */
  budget?: { name: string; threshold: number | null } | null;
};

/** How each audited action reads; `target` is an email for invitations and a user id for member changes. */
function describe(event: Event, nameOf: (userId: string | null) => string | undefined): string {
  const target = event.target ?? '';
  switch (event.action) {
    case 'workspace.created':
      return 'created the workspace';
    case 'workspace.updated':
      return 'updated the workspace settings';
    case 'invitation.created':
      return `invited ${target}`;
    case 'invitation.email_failed':
      return `invited ${target}, but the invitation email could not be sent`;
    case 'invitation.revoked':
      if (event.reason === 'replaced') return `replaced the pending invitation for ${target}`;
      if (event.reason === 'resent') return `sent ${target} a new invitation link, withdrawing the old one`;
      return `revoked the invitation for ${target}`;
    case 'invitation.accepted':
      return 'joined the workspace';
    case 'member.role_changed':
      return `changed the role of ${nameOf(event.target) ?? 'a member'}`;
    case 'member.removed':
      return `removed ${nameOf(event.target) ?? 'a former member'}`;
    case 'member.left':
      return 'left the workspace';
    case 'budget.created':
      return `created the budget ${event.budget?.name ?? ''}`.trim();
    case 'budget.updated':
      return `changed the budget ${event.budget?.name ?? ''}`.trim();
    case 'budget.deleted':
      return `deleted the budget ${event.budget?.name ?? ''}`.trim();
    case 'budget.threshold_reached':
      return `budget ${event.budget?.name ?? ''} reached ${event.budget?.threshold ?? 100}% of its monthly limit`;
    default:
      return event.action;
  }
}

export function ActivityList({ events, names }: { events: Event[]; names: Map<string, string> }) {
  if (events.length === 0) {
    return <EmptyState title="Nothing has happened yet">Invitations, role changes and settings updates will show up here.</EmptyState>;
  }
  const nameOf = (userId: string | null) => (userId ? names.get(userId) : undefined);
  return (
    <ul className="divide-y divide-slate-100">
      {events.map((event) => (
        <li key={event.id} className="flex flex-col gap-0.5 py-2.5 text-sm sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
          <span className="min-w-0 break-words text-slate-700">
            {event.action === 'budget.threshold_reached' ? (
              <span className="font-medium text-amber-800">Alert: </span>
            ) : (
              <span className="font-medium text-slate-900">{nameOf(event.actorUserId) ?? 'A former member'} </span>
            )}
            {describe(event, nameOf)}
          </span>
          <LocalTime date={event.createdAt} withTime className="shrink-0 text-xs text-slate-500" />
        </li>
      ))}
    </ul>
  );
}
