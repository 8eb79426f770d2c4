// Create an account (name, email, password), then continue to ?callbackUrl=
// (same-site paths only); ?email= prefills the email, e.g. from an invitation.
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
  const signInHref = `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}${params.email ? `&email=${encodeURIComponent(params.email)}` : ''}`;
  return (
    <AuthCard
      title="Create your account"
      subtitle="Workspaces, agents and budgets — each kept apart by the database."
      footer={
        <>
          Already have an account?{' '}
          <Link href={signInHref} className="font-medium text-accent-700 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm callbackUrl={callbackUrl} defaultEmail={params.email} />
    </AuthCard>
  );
}
