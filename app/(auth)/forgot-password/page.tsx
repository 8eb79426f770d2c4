// Request a password reset link by mail (or, on an installation without mail,
// learn to ask the operator for one).
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { ForgotPasswordForm } from '@/components/auth/forgot-password-form';

export const metadata = { title: 'Forgot password' };

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const { email } = await searchParams;
  return (
    <AuthCard
      title="Forgot your password?"
      subtitle="We'll mail you a link to choose a new one. It works once, for 1 hour."
      footer={
        <Link href="/sign-in" className="font-medium text-accent-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      <ForgotPasswordForm defaultEmail={email} />
    </AuthCard>
  );
}
