// The signed-in user's account: name, password, signed-in devices and the
// account's security activity (including reset links an operator issued).
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { NameForm } from '@/components/account/name-form';
import { PasswordForm } from '@/components/account/password-form';
import { SecurityActivity } from '@/components/account/security-activity';
import { SessionsList } from '@/components/account/sessions-list';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { Card } from '@/components/ui/card';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'Your account' };

export default async function AccountPage() {
  if (!(await currentSessionUser())) redirect('/sign-in?callbackUrl=/account');
  const caller = await serverCaller();
  const [me, sessions, events] = await Promise.all([caller.account.me(), caller.account.sessions(), caller.account.securityEvents()]);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center gap-3 px-4 py-3">
          <Link href="/" className="inline-flex min-h-10 items-center text-base font-semibold tracking-tight text-accent-700">
            Enclave
          </Link>
          <div className="ml-auto flex items-center gap-3">
            {me.isOperator && (
              <Link href="/admin/users" className="inline-flex min-h-10 items-center text-sm font-medium text-accent-700 hover:underline">
                Operator: users
              </Link>
            )}
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Your account</h1>
          <p className="mt-1 text-sm text-slate-600">Signed in as {me.email}.</p>
        </div>
        <Card title="Name">
          <NameForm name={me.name} />
        </Card>
        <Card title="Password" description="Changing it signs out every other device.">
          <PasswordForm />
        </Card>
        <Card title="Signed-in devices" description="Sign out a device you don't recognise, or every device at once.">
          <SessionsList sessions={sessions} />
        </Card>
        <Card title="Security activity" description="Recent changes to your account's sign-in.">
          <SecurityActivity events={events} />
        </Card>
      </main>
    </div>
  );
}
