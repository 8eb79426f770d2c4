// The policy's versions, newest first, each with who saved it and what it changed.
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';

export type PolicyVersionRow = {
  version: number;
  createdAt: Date;
  createdBy: string | null;
  changes: { field: string; before: string; after: string }[];
};

export function PolicyHistory({ versions }: { versions: PolicyVersionRow[] }) {
  if (versions.length === 0) {
    return <EmptyState title="No saved versions yet">The default policy is in force: every type is allowed and nothing is restricted.</EmptyState>;
  }
  return (
    <ol className="space-y-4" aria-label="Policy versions">
      {versions.map((v, i) => (
        <li key={v.version} className="rounded-md ring-1 ring-slate-200 p-3">
          <p className="text-sm font-medium text-slate-900">
            Version {v.version}
            {i === 0 && <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-800">in force</span>}
          </p>
          <p className="text-xs text-slate-500">
            <LocalTime date={v.createdAt} withTime /> · {v.createdBy ?? 'a former member'}
          </p>
          {v.changes.length > 0 && (
            <ul className="mt-2 space-y-1 text-sm text-slate-700">
              {v.changes.map((c) => (
                <li key={c.field}>
                  <span className="font-mono text-xs">{c.field}</span>: <span className="text-slate-500 line-through">{c.before}</span> → {c.after}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
