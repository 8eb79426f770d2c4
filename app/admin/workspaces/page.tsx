// The operator's workspace directory: each workspace's name and whether it may
// reach private network addresses (an in-cluster vLLM, an internal API), with a
// confirmed, audited grant and revoke. No tenant content. Anyone else gets the not-found page.
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { PrivateEgressSwitch } from '@/components/admin/private-egress-switch';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

/** A tenant user gets the not-found page, so its title too. */
export async function generateMetadata() {
  const user = await currentSessionUser();
  return { title: user?.isOperator ? 'Workspaces' : 'Page not found' };
}

export default async function AdminWorkspacesPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await currentSessionUser();
  if (!user) redirect('/sign-in?callbackUrl=/admin/workspaces');
  if (!user.isOperator) notFound();
  const { q } = await searchParams;
  const search = typeof q === 'string' ? q.slice(0, 100) : undefined;
  const workspaces = await (await serverCaller()).admin.workspaces({ search });
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3">
          <Link href="/" className="text-base font-semibold tracking-tight text-accent-700">
            Enclave
          </Link>
          <span className="text-sm text-slate-500">Operator</span>
          <nav aria-label="Operator" className="flex gap-3 text-sm">
            <Link href="/admin/users" className="text-slate-700 hover:underline">
              Users
            </Link>
            <Link href="/admin/workspaces" aria-current="page" className="font-medium text-slate-900 underline">
              Workspaces
            </Link>
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <Link href="/account" className="text-sm font-medium text-slate-700 hover:underline">
              {user.name}
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-8">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Workspaces</h1>
        <Card
          title="Private-address egress"
          description="By default no workspace's model providers or tools may reach private, loopback or link-local addresses. Grant it to a workspace that needs an in-cluster service; cloud metadata addresses stay closed either way. Each change is recorded in the workspace's audit log."
        >
          <form className="mb-4 flex gap-2" role="search">
            <label htmlFor="workspace-search" className="sr-only">
              Search by name or slug
            </label>
            <input
              id="workspace-search"
              name="q"
              defaultValue={search}
              placeholder="Search by name or slug"
              className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300"
            />
          </form>
          {workspaces.length === 0 ? (
            <EmptyState title={search ? 'No workspaces match' : 'No workspaces yet'} />
          ) : (
            <ul className="divide-y divide-slate-200" aria-label="Workspaces">
              {workspaces.map((w) => (
                <li key={w.id} aria-label={w.name} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div>
                    <p className="text-sm font-medium text-slate-900">
                      {w.name} <span className="font-normal text-slate-500">/{w.slug}</span>
                    </p>
                    <p className="text-xs text-slate-500">
                      {w.allowPrivateAddresses ? 'Private addresses allowed' : 'Private addresses refused'}
                      {w.updatedAt && (
                        <>
                          {' · changed '}
                          <LocalTime date={w.updatedAt} withTime />
                        </>
                      )}
                    </p>
                  </div>
                  <PrivateEgressSwitch workspaceId={w.id} name={w.name} allowed={w.allowPrivateAddresses} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      </main>
    </div>
  );
}
