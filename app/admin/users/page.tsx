// The operator's minimal user directory: accounts by email, "Issue reset link"
// for installations without mail, and the account audit trail that records
// every link issued and used. Anyone else gets the not-found page.
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { SecurityActivity } from '@/components/account/security-activity';
import { IssueResetLink } from '@/components/admin/issue-reset-link';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'Users' };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await currentSessionUser();
  if (!user) redirect('/sign-in?callbackUrl=/admin/users');
  if (!user.isOperator) notFound();
  const { q } = await searchParams;
  const caller = await serverCaller();
  const search = typeof q === 'string' ? q.slice(0, 254) : undefined;
  const [users, events] = await Promise.all([caller.admin.users({ search }), caller.admin.accountEvents()]);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3">
          <Link href="/" className="text-base font-semibold tracking-tight text-accent-700">
            Enclave
          </Link>
          <span className="text-sm text-slate-500">Operator</span>
          <nav aria-label="Operator" className="flex gap-3 text-sm">
            <Link href="/admin/users" aria-current="page" className="font-medium text-slate-900 underline">
              Users
            </Link>
            <Link href="/admin/workspaces" className="text-slate-700 hover:underline">
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
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Users</h1>
        <Card
          title="Accounts"
          description="Issue a one-time password reset link when mail is not configured. Links expire after 1 hour, work once, and are recorded below and on the user's account page."
        >
          <form className="mb-4 flex gap-2" role="search">
            <label htmlFor="user-search" className="sr-only">
              Search by email or name
            </label>
            <input
              id="user-search"
              name="q"
              defaultValue={search}
              placeholder="Search by email or name"
              className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300"
            />
          </form>
          {users.length === 0 ? (
            <EmptyState title="No accounts match" />
          ) : (
            <ul className="divide-y divide-slate-200" aria-label="Accounts">
              {users.map((u) => (
                <li key={u.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div>
                    <p className="text-sm font-medium text-slate-900">
                      {u.email}
                      {u.isOperator && <span className="ml-2 text-xs text-slate-500">operator</span>}
                    </p>
                    <p className="text-xs text-slate-500">
                      {u.name} · joined <LocalTime date={u.createdAt} />
                    </p>
                  </div>
                  {u.id === user.id ? (
                    <Link href="/account" className="text-sm text-accent-700 hover:underline">
                      Your account
                    </Link>
                  ) : (
                    <IssueResetLink userId={u.id} email={u.email} />
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Account activity" description="Every reset link issued and used, sessions ended and passwords changed.">
          <SecurityActivity events={events} showSubject />
        </Card>
      </main>
    </div>
  );
}
