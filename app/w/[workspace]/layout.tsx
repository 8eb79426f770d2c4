import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/workspace/sign-out-button';
import { WorkspaceNav } from '@/components/workspace/workspace-nav';
import { WorkspaceSwitcher } from '@/components/workspace/workspace-switcher';
import { resolveWorkspace } from './resolve-workspace';

export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const { caller, workspace } = await resolveWorkspace(slug);
  const [mine, me] = await Promise.all([caller.workspaces.mine(), caller.account.me()]);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex items-center gap-4">
            <Link href="/" className="text-base font-semibold tracking-tight text-accent-700">
              Enclave
            </Link>
            <WorkspaceSwitcher current={workspace.slug} workspaces={mine} />
          </div>
          <div className="flex items-center gap-3">
            <div className="hidden text-right sm:block">
              <p className="text-sm font-medium text-slate-900">{me.name}</p>
              <p className="text-xs text-slate-500">{me.email}</p>
            </div>
            <SignOutButton />
          </div>
        </div>
        <div className="mx-auto max-w-5xl px-4 pb-2">
          <WorkspaceNav slug={workspace.slug} />
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
