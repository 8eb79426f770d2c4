// The workspace's agents: name and description linking to the editor, the published
// version, its model and when it last changed; archived agents are marked.
import Link from 'next/link';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';

export type AgentRow = { id: string; name: string; description: string; publishedVersion: number; model: string; archived: boolean; updatedAt: Date };

export function AgentsTable({ slug, agents, canWrite }: { slug: string; agents: AgentRow[]; canWrite: boolean }) {
  if (agents.length === 0) {
    return (
      <EmptyState title="No agents yet">
        {canWrite ? 'Create one: a system prompt, a model and the tools it may use.' : 'Members, admins and owners can create them.'}
      </EmptyState>
    );
  }
  return (
    <ul className="-mx-5 divide-y divide-slate-100 sm:-mx-6">
      {agents.map((a) => (
        <li key={a.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3 sm:px-6">
          <div className="min-w-0 flex-1">
            <Link href={`/w/${slug}/agents/${a.id}`} className="font-medium text-accent-700 hover:underline">
              {a.name}
            </Link>
            {a.archived && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">Archived</span>}
            {a.description && <p className="truncate text-sm text-slate-500">{a.description}</p>}
          </div>
          <span className="font-mono text-xs text-slate-600">v{a.publishedVersion}</span>
          <span className="font-mono text-xs text-slate-600">{a.model}</span>
          <span className="text-xs text-slate-500">
            Updated <LocalTime date={a.updatedAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
