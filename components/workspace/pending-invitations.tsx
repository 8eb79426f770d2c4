'use client';
// Invitations not yet accepted, with a revoke button for managers.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';

type Invitation = { id: string; email: string; role: string; expiresAt: Date; expired: boolean };

export function PendingInvitations({ workspaceId, invitations, canManage }: { workspaceId: string; invitations: Invitation[]; canManage: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.invitations.revoke.mutationOptions({ onSuccess: () => router.refresh() }));
  if (invitations.length === 0) return <EmptyState title="No pending invitations" />;
  return (
    <div className="space-y-3">
      {revoke.error && <Alert>{revoke.error.message}</Alert>}
      <ul className="divide-y divide-slate-100">
        {invitations.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
            <div>
              <p className="font-medium text-slate-900">{i.email}</p>
              <p className="text-slate-500">
                <span className="capitalize">{i.role}</span> ·{' '}
                {i.expired ? 'expired' : `expires ${i.expiresAt.toLocaleDateString('en', { dateStyle: 'medium' })}`}
              </p>
            </div>
            {canManage && (
              <Button
                variant="secondary"
                pending={revoke.isPending && revoke.variables?.invitationId === i.id}
                onClick={() => revoke.mutate({ workspaceId, invitationId: i.id })}
              >
                Revoke
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
