'use client';
// The workspace's section links, with the current one marked for assistive tech.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function WorkspaceNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const links = [
    { href: `/w/${slug}`, label: 'Home' },
    { href: `/w/${slug}/members`, label: 'Members' },
    { href: `/w/${slug}/settings`, label: 'Settings' },
  ];
  return (
    <nav aria-label="Workspace" className="flex gap-1 overflow-x-auto">
      {links.map((l) => {
        const active = pathname === l.href;
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? 'page' : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-accent-600 ${
              active ? 'bg-accent-50 text-accent-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'
            }`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
