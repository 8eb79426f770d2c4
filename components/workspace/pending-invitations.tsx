'use client';
// Invitations not yet accepted. Managers can resend them (a fresh link replaces
// the old one, since only a hash of each link is stored) and revoke them (owner
// invitations only with owners:write, as the server requires). A link issued on
// this page can be copied from its row.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { CopyField } from '../ui/copy-field';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { useToast } from '../ui/toast';
import { useInvitationLinks, type IssuedLink } from './invitation-links';
import { roleLabel } from './role-options';

type Invitation = { id: string; email: string; role: WorkspaceRole; expiresAt: Date; expired: boolean };

export function PendingInvitations(props: { workspaceId: string; invitations: Invitation[]; canManage: boolean; canManageOwners: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const links = useInvitationLinks();
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: (_result, input) => {
        const invitation = props.invitations.find((i) => i.id === input.invitationId);
        links.forget(input.invitationId);
        toast(`Invitation for ${invitation?.email ?? 'that email'} revoked`);
        router.refresh();
      },
    }),
  );
  const resend = useMutation(
    trpc.invitations.resend.mutationOptions({
      onSuccess: (result, input) => {
        links.remember(
          { invitationId: result.invitation.id, email: result.invitation.email, url: result.url, emailing: result.emailing },
          input.invitationId,
        );
        toast(result.emailing ? `New link emailed to ${result.invitation.email}` : `New link ready for ${result.invitation.email}: copy it from the list`);
        router.refresh();
      },
    }),
  );
  if (props.invitations.length === 0) {
    return <EmptyState title="No pending invitations">{props.canManage ? 'Invite someone above and they will be listed here until they join.' : null}</EmptyState>;
  }
  const error = revoke.error ?? resend.error;
  return (
    <div className="space-y-3">
      {error && <Alert>{error.message}</Alert>}
      {props.canManage && (
        <p className="text-sm text-slate-600">
          A link is shown only when it is issued. To share one again, use Resend: it issues a fresh link and the old one stops working.
        </p>
      )}
      <ul className="divide-y divide-slate-100">
        {props.invitations.map((i) => {
          const manageable = props.canManage && (i.role !== 'owner' || props.canManageOwners);
          const link = links.get(i.id);
          return (
            <li key={i.id} className="space-y-2 py-3 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div className="min-w-0">
                  <p className="break-all font-medium text-slate-900">{i.email}</p>
                  <p className="text-slate-500">
                    {roleLabel(i.role)} ·{' '}
                    {i.expired ? (
                      <span className="text-amber-800">expired</span>
                    ) : (
                      <>
                        expires <LocalTime date={i.expiresAt} />
                      </>
                    )}
                  </p>
                </div>
                {manageable && (
                  <div className="flex flex-wrap items-center justify-end gap-2">
                    {link && <CopyLinkButton link={link} />}
                    <ConfirmButton
                      variant="primary"
                      question={`Send ${i.email} a new link? The current one stops working.`}
                      confirmLabel="Send new link"
                      pending={resend.isPending && resend.variables?.invitationId === i.id}
                      pendingLabel="Sending…"
                      onConfirm={() => resend.mutate({ workspaceId: props.workspaceId, invitationId: i.id })}
                    >
                      Resend
                    </ConfirmButton>
                    <ConfirmButton
                      question={`Revoke the invitation for ${i.email}?`}
                      confirmLabel="Revoke"
                      pending={revoke.isPending && revoke.variables?.invitationId === i.id}
                      pendingLabel="Revoking…"
                      onConfirm={() => revoke.mutate({ workspaceId: props.workspaceId, invitationId: i.id })}
                    >
                      Revoke
                    </ConfirmButton>
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Copies a link this page issued; where the clipboard is refused, shows the link to copy by hand. */
function CopyLinkButton({ link }: { link: IssuedLink }) {
  const toast = useToast();
  const [manual, setManual] = useState(false);
  if (manual) return <CopyField label={`Invitation link for ${link.email}`} value={link.url} buttonLabel="Copy link" />;
  return (
    <Button
      variant="secondary"
      aria-label={`Copy link for ${link.email}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(link.url);
          toast(`Link for ${link.email} copied`);
        } catch {
          setManual(true);
        }
      }}
    >
      Copy link
    </Button>
  );
}
