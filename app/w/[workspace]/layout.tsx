// The workspace app shell: top bar (product, workspace switcher, user, sign out)
// and section nav. Resolving the slug here makes every page below 404 for non-members.
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { BudgetNotice } from '@/components/budgets/budget-notice';
import { resolveWorkspace } from '@/components/workspace/resolve-workspace';
import { WorkspaceNav } from '@/components/workspace/workspace-nav';
import { WorkspaceSwitcher } from '@/components/workspace/workspace-switcher';

export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const { caller, workspace } = await resolveWorkspace(slug);
  const [mine, me, budgetAlerts] = await Promise.all([caller.workspaces.mine(), caller.account.me(), caller.budgets.alerts({ workspaceId: workspace.id })]);
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-accent-700 shadow focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-10"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3">
          <Link href="/" className="inline-flex min-h-10 shrink-0 items-center text-base font-semibold tracking-tight text-accent-700">
            Enclave
          </Link>
          <span aria-hidden className="text-slate-300">
            /
          </span>
          <WorkspaceSwitcher current={workspace.slug} workspaces={mine} />
          <div className="ml-auto flex shrink-0 items-center gap-3">
            <Link href="/account" className="hidden rounded-md px-2 py-1 text-right hover:bg-slate-100 md:block" title="Your account">
              <span className="block text-sm font-medium text-slate-900">{me.name}</span>
              <span className="block text-xs text-slate-500">{me.email}</span>
            </Link>
            <SignOutButton />
          </div>
        </div>
        <div className="mx-auto max-w-5xl px-4">
          <WorkspaceNav slug={workspace.slug} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-8">
        <BudgetNotice slug={workspace.slug} alerts={budgetAlerts} />
        {children}
      </main>
    </div>
  );
}
