// The operator console's frame: its header with the Users / Workspaces / Deletions navigation
// (the current page marked), the operator's account and sign-out, and the page's
// main landmark with its heading.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { inputClass } from '@/components/ui/text-field';

const SECTIONS = [
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/workspaces', label: 'Workspaces' },
  { href: '/admin/deletions', label: 'Deletions' },
] as const;

export function OperatorShell({ current, userName, children }: { current: (typeof SECTIONS)[number]['label']; userName: string; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3">
          <Link href="/" className="inline-flex min-h-10 items-center text-base font-semibold tracking-tight text-accent-700">
            Enclave
          </Link>
          <span className="text-sm text-slate-500">Operator</span>
          <nav aria-label="Operator" className="flex gap-3 text-sm">
            {SECTIONS.map((section) =>
              section.label === current ? (
                <Link key={section.href} href={section.href} aria-current="page" className="inline-flex min-h-10 items-center font-medium text-slate-900 underline">
                  {section.label}
                </Link>
              ) : (
                <Link key={section.href} href={section.href} className="inline-flex min-h-10 items-center text-slate-700 hover:underline">
                  {section.label}
                </Link>
              ),
            )}
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-3">
            <Link href="/account" className="inline-flex min-h-10 min-w-0 items-center text-sm font-medium break-all text-slate-700 hover:underline">
              {userName}
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{current}</h1>
        {children}
      </main>
    </div>
  );
}

/** A plain GET search box (`?q=`), so it works before any script has loaded. */
export function OperatorSearch({ id, label, search }: { id: string; label: string; search: string | undefined }) {
  return (
    <form className="mb-4 flex gap-2" role="search">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        name="q"
        defaultValue={search}
        placeholder={label}
        className={inputClass}
      />
    </form>
  );
}
