// An invitation link that was never valid (mistyped, truncated): status 404 with
// a hint, instead of a page that looks like a working link.
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';

export const metadata = { title: 'Invitation not found' };

export default function InvitationNotFound() {
  return (
    <AuthCard
      title="Invitation not found"
      footer={
        <Link href="/" className="font-medium text-accent-700 hover:underline">
          Go to Enclave
        </Link>
      }
    >
      <p className="text-sm text-slate-600">
        This invitation link isn&apos;t valid. Check that you copied all of it, or ask for a new invitation.
      </p>
    </AuthCard>
  );
}
