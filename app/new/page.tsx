import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { CreateWorkspaceForm } from '@/components/workspace/create-workspace-form';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'New workspace' };

export default async function NewWorkspacePage() {
  if (!(await currentSessionUser())) redirect('/sign-in?callbackUrl=/new');
  return (
    <AuthCard
      title="Create a workspace"
      subtitle="A workspace holds your team's agents, knowledge and budgets. Nobody outside it can see them."
      footer={
        <Link href="/" className="font-medium text-accent-700 hover:underline">
          Back
        </Link>
      }
    >
      <CreateWorkspaceForm />
    </AuthCard>
  );
}
