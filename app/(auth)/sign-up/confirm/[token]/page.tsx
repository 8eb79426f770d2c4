// Where the mailed sign-up link leads: the account is created only when the
// button on this page is pressed, then the new user signs in.
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { CompleteSignUp } from '@/components/auth/complete-sign-up';

export const metadata = { title: 'Finish creating your account' };

export default async function ConfirmSignUpPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <AuthCard
      title="Finish creating your account"
      subtitle="Create the account you asked for with this email address."
      footer={
        <Link href="/sign-in" className="font-medium text-accent-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      <CompleteSignUp token={token} />
    </AuthCard>
  );
}
