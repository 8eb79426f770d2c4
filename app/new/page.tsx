// Create a workspace (name, optional URL); the creator becomes its owner. Also
// where users with no workspace land, so it offers signing out.
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { CreateWorkspaceForm } from '@/components/workspace/create-workspace-form';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'New workspace' };

export default async function NewWorkspacePage() {
  const user = await currentSessionUser();
  if (!user) redirect('/sign-in?callbackUrl=/new');
  const mine = await (await serverCaller()).workspaces.mine();
  return (
    <AuthCard
      title={mine.length ? 'Create a workspace' : 'Create your first workspace'}
      subtitle="A workspace holds your team's agents, knowledge and budgets. Nobody outside it can see them."
      footer={
        <span className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1">
          {mine.length > 0 && (
            <Link href="/" className="font-medium text-accent-700 hover:underline">
              Back to your workspaces
            </Link>
          )}
          <span>
            Signed in as{' '}
            <Link href="/account" className="break-all font-medium text-accent-700 hover:underline">
              {user.email}
            </Link>
          </span>
          <SignOutButton />
        </span>
      }
    >
      <CreateWorkspaceForm />
    </AuthCard>
  );
}
