// Where a password reset link leads: says whose password it resets, or that
// the link is no longer valid.
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { ResetPasswordForm } from '@/components/auth/reset-password-form';
import { Alert } from '@/components/ui/alert';
import { serverCaller } from '@/server/trpc/server-caller';

export const metadata = { title: 'Choose a new password' };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await serverCaller();
  const link = await caller.account.resetLink({ token }).catch(() => null);
  return (
    <AuthCard
      title="Choose a new password"
      subtitle={link ? `For ${link.email}. Every signed-in device will be signed out.` : undefined}
      footer={
        <Link href="/sign-in" className="font-medium text-accent-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      {link ? (
        <ResetPasswordForm token={token} />
      ) : (
        <Alert>
          This reset link is not valid any more. <Link href="/forgot-password" className="underline">Ask for a new one</Link>.
        </Alert>
      )}
    </AuthCard>
  );
}
