import { TRPCError } from '@trpc/server';
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { Alert } from '@/components/ui/alert';
import { AcceptInvitation } from '@/components/workspace/accept-invitation';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'Invitation' };

const STATUS_TEXT = {
  accepted: 'This invitation has already been accepted.',
  revoked: 'This invitation was withdrawn. Ask for a new one.',
  expired: 'This invitation has expired. Ask for a new one.',
} as const;

async function preview(token: string) {
  try {
    return await (await serverCaller()).invitations.preview({ token });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) return null;
    throw error;
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([preview(token), currentSessionUser()]);
  const back = (
    <Link href="/" className="font-medium text-accent-700 hover:underline">
      Go to Enclave
    </Link>
  );
  if (!invitation) {
    return (
      <AuthCard title="Invitation not found" footer={back}>
        <p className="text-sm text-slate-600">This invitation link is not valid. Check that you copied all of it.</p>
      </AuthCard>
    );
  }
  const here = `/invite/${token}`;
  return (
    <AuthCard title={`Join ${invitation.workspaceName}`} subtitle={`Invitation for ${invitation.email} as ${invitation.role}.`} footer={back}>
      {invitation.status !== 'pending' ? (
        <Alert tone="info">{STATUS_TEXT[invitation.status]}</Alert>
      ) : user ? (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">
            Signed in as <span className="font-medium text-slate-900">{user.email}</span>.
          </p>
          <AcceptInvitation token={token} />
        </div>
      ) : (
        <div className="space-y-3">
          <Link
            href={`/sign-up?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(invitation.email)}`}
            className="block rounded-md bg-accent-600 px-3.5 py-2 text-center text-sm font-medium text-white hover:bg-accent-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600"
          >
            Create an account
          </Link>
          <Link
            href={`/sign-in?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(invitation.email)}`}
            className="block rounded-md bg-white px-3.5 py-2 text-center text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          >
            Sign in to accept
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
