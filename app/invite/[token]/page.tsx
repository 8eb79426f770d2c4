// An invitation link: shows the workspace, invited email, role and status, and
// lets the invited person accept (signed in), or sign in / sign up first. A link
// that was never valid is a 404; a used link takes a member to the workspace.
import { TRPCError } from '@trpc/server';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { Alert } from '@/components/ui/alert';
import { LinkButton } from '@/components/ui/link-button';
import { AcceptInvitation } from '@/components/workspace/accept-invitation';
import { roleLabel } from '@/components/workspace/role-options';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

export const metadata = { title: 'Invitation' };

const STATUS_TEXT = {
  accepted: 'This invitation has already been accepted.',
  revoked: 'This invitation was withdrawn. Ask the workspace admin for a new one.',
  expired: 'This invitation has expired. Ask the workspace admin for a new one.',
} as const;

async function preview(token: string) {
  try {
    return await (await serverCaller()).invitations.preview({ token });
  } catch (error) {
    // A malformed token fails validation; to the visitor it is just as unknown.
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) return null;
    throw error;
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([preview(token), currentSessionUser()]);
  const home = (
    <Link href="/" className="font-medium text-accent-700 hover:underline">
      Go to Enclave
    </Link>
  );
  if (!invitation) notFound();

  const here = `/invite/${token}`;
  const withEmail = `callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(invitation.email)}`;
  const wrongAccount = user && user.email.toLowerCase() !== invitation.email.toLowerCase();
  // The member who used this link is simply taken to the workspace.
  if (user && !wrongAccount && invitation.status === 'accepted' && invitation.memberSlug) redirect(`/w/${invitation.memberSlug}`);
  return (
    <AuthCard title={`Join ${invitation.workspaceName}`} subtitle="You have been invited to an Enclave workspace." footer={home}>
      <dl className="mb-5 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-inset ring-slate-200">
        <dt className="text-slate-500">Workspace</dt>
        <dd className="font-medium text-slate-900">{invitation.workspaceName}</dd>
        <dt className="text-slate-500">Invited email</dt>
        <dd className="break-all font-medium text-slate-900">{invitation.email}</dd>
        <dt className="text-slate-500">Role</dt>
        <dd className="font-medium text-slate-900">{roleLabel(invitation.role)}</dd>
        <dt className="text-slate-500">Status</dt>
        <dd className="font-medium capitalize text-slate-900">{invitation.status}</dd>
      </dl>
      {invitation.status !== 'pending' ? (
        <Alert tone="info">{STATUS_TEXT[invitation.status]}</Alert>
      ) : !user ? (
        <div className="space-y-3">
          <LinkButton href={`/sign-in?${withEmail}`} className="w-full">
            Sign in to accept
          </LinkButton>
          <LinkButton href={`/sign-up?${withEmail}`} variant="secondary" className="w-full">
            Create an account
          </LinkButton>
        </div>
      ) : wrongAccount ? (
        <div className="space-y-3">
          <Alert tone="warning">
            You are signed in as <span className="font-medium">{user.email}</span>, but this invitation is for{' '}
            <span className="font-medium">{invitation.email}</span>.
          </Alert>
          <SignOutButton variant="primary" className="w-full" label={`Sign in as ${invitation.email}`} callbackUrl={`/sign-in?${withEmail}`} />
        </div>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">
            Signed in as <span className="font-medium text-slate-900">{user.email}</span>.
          </p>
          <AcceptInvitation token={token} />
        </div>
      )}
    </AuthCard>
  );
}
