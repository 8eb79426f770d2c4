'use client';
// Invitations not yet accepted. Managers can revoke them (owner invitations only
// with owners:write, as the server requires).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { roleLabel } from './role-options';

type Invitation = { id: string; email: string; role: WorkspaceRole; expiresAt: Date; expired: boolean };

export function PendingInvitations(props: { workspaceId: string; invitations: Invitation[]; canManage: boolean; canManageOwners: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.invitations.revoke.mutationOptions({ onSuccess: () => router.refresh() }));
  if (props.invitations.length === 0) {
    return <EmptyState title="No pending invitations">{props.canManage ? 'Invite someone above and they will be listed here until they join.' : null}</EmptyState>;
  }
  return (
    <div className="space-y-3">
      {revoke.error && <Alert>{revoke.error.message}</Alert>}
      <ul className="divide-y divide-slate-100">
        {props.invitations.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
            <div className="min-w-0">
              <p className="break-all font-medium text-slate-900">{i.email}</p>
              <p className="text-slate-500">
                {roleLabel(i.role)} ·{' '}
                {i.expired ? (
                  <span className="text-amber-700">expired</span>
                ) : (
                  <>
                    expires <LocalTime date={i.expiresAt} />
                  </>
                )}
              </p>
            </div>
            {props.canManage && (i.role !== 'owner' || props.canManageOwners) && (
              <ConfirmButton
                question={`Revoke the invitation for ${i.email}?`}
                confirmLabel="Revoke"
                pending={revoke.isPending && revoke.variables?.invitationId === i.id}
                pendingLabel="Revoking…"
                onConfirm={() => revoke.mutate({ workspaceId: props.workspaceId, invitationId: i.id })}
              >
                Revoke
              </ConfirmButton>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
