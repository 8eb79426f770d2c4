import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { safeCallbackUrl } from '@/components/auth/safe-callback';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'Create account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; email?: string }> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await currentSessionUser()) redirect(callbackUrl);
  return (
    <AuthCard
      title="Create your account"
      subtitle="Workspaces, agents and budgets — isolated by the database."
      footer={
        <>
          Already have an account?{' '}
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-medium text-accent-700 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm callbackUrl={callbackUrl} defaultEmail={params.email} />
    </AuthCard>
  );
}
