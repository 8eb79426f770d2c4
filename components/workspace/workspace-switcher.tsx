'use client';
// Lists the user's workspaces with their role; choosing one opens it, and the
// last entry leads to creating a new one.
import { useRouter } from 'next/navigation';
import { useId } from 'react';

type Option = { slug: string; name: string; role: string };

const CREATE = '__create';

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: Option[] }) {
  const router = useRouter();
  const id = useId();
  return (
    <div className="min-w-0 flex-1 sm:flex-none">
      <label htmlFor={id} className="sr-only">
        Switch workspace
      </label>
      <select
        id={id}
        value={current}
        onChange={(e) => router.push(e.target.value === CREATE ? '/new' : `/w/${e.target.value}`)}
        className="block w-full truncate rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm font-medium text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-accent-600 sm:w-60"
      >
        <optgroup label="Your workspaces">
          {workspaces.map((w) => (
            <option key={w.slug} value={w.slug}>
              {w.name} · {w.role}
            </option>
          ))}
        </optgroup>
        <option value={CREATE}>+ Create workspace</option>
      </select>
    </div>
  );
}
