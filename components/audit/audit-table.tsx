// The audit log's events, newest first: time, position in the chain, actor,
// action, target and recorded details.
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';

type Event = {
  seq: number;
  id: string;
  createdAt: Date;
  actorUserId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  metadata: Record<string, unknown>;
};

function details(metadata: Record<string, unknown>): string {
  const text = JSON.stringify(metadata);
  return text === '{}' ? '' : text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export function AuditTable({ events }: { events: Event[] }) {
  if (events.length === 0) return <EmptyState title="No events match">Change the filters, or clear them to see everything.</EmptyState>;
  return (
    // Scrolls sideways on a narrow screen; focusable so it can be scrolled by keyboard.
    <div className="relative overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-accent-600" role="region" aria-label="Audit events" tabIndex={0}>
      <table className="w-full text-sm" data-testid="audit-events">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th scope="col" className="py-2 pr-3 font-medium">#</th>
            <th scope="col" className="py-2 pr-3 font-medium">Time</th>
            <th scope="col" className="py-2 pr-3 font-medium">Actor</th>
            <th scope="col" className="py-2 pr-3 font-medium">Action</th>
            <th scope="col" className="py-2 pr-3 font-medium">Target</th>
            <th scope="col" className="py-2 font-medium">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className="border-t border-slate-100 align-top">
              <td className="py-2 pr-3 font-mono text-xs text-slate-500">{e.seq}</td>
              <td className="whitespace-nowrap py-2 pr-3">
                <LocalTime date={e.createdAt} withTime />
              </td>
              <td className="py-2 pr-3">
                {e.actorUserId ? (e.actorName ? <span title={e.actorEmail ?? undefined}>{e.actorName}</span> : <span className="font-mono text-xs">{e.actorUserId.slice(0, 8)}</span>) : <span className="text-slate-500">System</span>}
              </td>
              <td className="py-2 pr-3 font-mono text-xs">{e.action}</td>
              <td className="max-w-48 truncate py-2 pr-3" title={e.target ?? undefined}>{e.target ?? ''}</td>
              <td className="max-w-80 break-all py-2 font-mono text-xs text-slate-600">{details(e.metadata)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
