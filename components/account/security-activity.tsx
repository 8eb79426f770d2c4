// An account's audit trail as a list: sessions ended, passwords changed, reset
// links issued (by whom) and used. Shared by the account page and the operator's.
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';

export type AccountEventRow = {
  id: string;
  action: string;
  createdAt: Date;
  clientAddress: string | null;
  subjectEmail: string | null;
  actorEmail: string | null;
};

const DESCRIPTIONS: Record<string, string> = {
  'session.revoked': 'A device was signed out',
  'sessions.revoked_all': 'Signed out everywhere',
  'account.renamed': 'Name changed',
  'password.changed': 'Password changed',
  'password_reset.requested': 'Password reset link mailed',
  'password_reset.issued': 'Password reset link issued',
  'password_reset.used': 'Password reset with a link',
  'workspace.deleted': 'Deleted a workspace',
};

export function SecurityActivity({ events, showSubject = false }: { events: AccountEventRow[]; showSubject?: boolean }) {
  if (events.length === 0) return <EmptyState title="No activity yet" />;
  return (
    <ul className="divide-y divide-slate-200" aria-label="Security activity">
      {events.map((e) => (
        <li key={e.id} className="py-2 text-sm">
          <p className="text-slate-900">
            {DESCRIPTIONS[e.action] ?? e.action}
            {showSubject && e.subjectEmail && <span className="text-slate-600"> — {e.subjectEmail}</span>}
          </p>
          <p className="text-xs text-slate-500">
            <LocalTime date={e.createdAt} withTime />
            {e.actorEmail && ` · by ${e.actorEmail}`}
            {e.clientAddress && ` · from ${e.clientAddress}`}
          </p>
        </li>
      ))}
    </ul>
  );
}
