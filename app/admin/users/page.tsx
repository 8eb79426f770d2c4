// The operator's minimal user directory: accounts by email, "Issue reset link"
// for installations without mail, and the account audit trail that records
// every link issued and used. Anyone else gets the not-found page.
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { SecurityActivity } from '@/components/account/security-activity';
import { IssueResetLink } from '@/components/admin/issue-reset-link';
import { OperatorSearch, OperatorShell } from '@/components/admin/operator-shell';
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
    <OperatorShell current="Users" userName={user.name}>
        <Card
          title="Accounts"
          description="Issue a one-time password reset link when mail is not configured. Links expire after 1 hour, work once, and are recorded below and on the user's account page."
        >
          <OperatorSearch id="user-search" label="Search by email or name" search={search} />
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
                    <Link href="/account" className="inline-flex min-h-10 items-center text-sm text-accent-700 hover:underline">
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
    </OperatorShell>
  );
}
