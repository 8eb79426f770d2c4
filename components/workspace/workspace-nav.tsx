'use client';
// The workspace's section links as tabs, with the current one marked for assistive tech.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function WorkspaceNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const links = [
    { href: `/w/${slug}`, label: 'Home' },
    { href: `/w/${slug}/agents`, label: 'Agents' },
    { href: `/w/${slug}/runs`, label: 'Runs' },
    { href: `/w/${slug}/approvals`, label: 'Approvals' },
    { href: `/w/${slug}/knowledge`, label: 'Knowledge' },
    { href: `/w/${slug}/memory`, label: 'Memory' },
    { href: `/w/${slug}/prompts`, label: 'Prompts' },
    { href: `/w/${slug}/tools`, label: 'Tools' },
    { href: `/w/${slug}/members`, label: 'Members' },
    { href: `/w/${slug}/secrets`, label: 'Secrets' },
    { href: `/w/${slug}/providers`, label: 'Providers' },
    { href: `/w/${slug}/policies`, label: 'Policies' },
    { href: `/w/${slug}/usage`, label: 'Usage' },
    { href: `/w/${slug}/audit`, label: 'Audit log' },
    { href: `/w/${slug}/data`, label: 'Data' },
    { href: `/w/${slug}/budgets`, label: 'Budgets' },
    { href: `/w/${slug}/limits`, label: 'Limits' },
    { href: `/w/${slug}/settings`, label: 'Settings' },
  ];
  return (
    <nav aria-label="Workspace" className="-mb-px flex gap-4 overflow-x-auto">
      {links.map((l) => {
        const active = pathname === l.href || (l.href !== `/w/${slug}` && pathname.startsWith(`${l.href}/`));
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? 'page' : undefined}
            className={`flex min-h-10 items-end whitespace-nowrap border-b-2 px-1 pb-3 pt-1 text-sm font-medium ${
              active ? 'border-accent-600 text-accent-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
            }`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
