'use client';
// Lists the user's workspaces; choosing one opens it.
import { useRouter } from 'next/navigation';
import { useId } from 'react';

type Option = { slug: string; name: string; role: string };

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: Option[] }) {
  const router = useRouter();
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Switch workspace
      </label>
      <select
        id={id}
        value={current}
        onChange={(e) => router.push(e.target.value === '__new' ? '/new' : `/w/${e.target.value}`)}
        className="max-w-[14rem] rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm font-medium text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-accent-600"
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name} ({w.role})
          </option>
        ))}
        <option value="__new">+ Create workspace</option>
      </select>
    </div>
  );
}
