// Sign in with email and password; honours ?callbackUrl= (same-site paths only)
// and ?email= (prefill, e.g. from an invitation).
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { safeCallbackUrl } from '@/components/auth/safe-callback';
import { SignInForm } from '@/components/auth/sign-in-form';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; email?: string }> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await currentSessionUser()) redirect(callbackUrl);
  const signUpHref = `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}${params.email ? `&email=${encodeURIComponent(params.email)}` : ''}`;
  return (
    <AuthCard
      title="Sign in"
      subtitle="Welcome back to Enclave."
      footer={
        <>
          New here?{' '}
          <Link href={signUpHref} className="font-medium text-accent-700 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm callbackUrl={callbackUrl} defaultEmail={params.email} />
    </AuthCard>
  );
}
