'use client';
// The operator opens or closes private-address egress for one workspace (its model
// providers and tools may then reach in-cluster addresses), after confirming.
// Each change is recorded in that workspace's audit log.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useTRPC } from '../trpc-provider';
import { ConfirmButton } from '../ui/confirm-button';
import { FormAlert } from '../ui/form-feedback';
import { useToast } from '../ui/toast';

export function PrivateEgressSwitch({ workspaceId, name, allowed }: { workspaceId: string; name: string; allowed: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const toast = useToast();
  const change = useMutation(
    trpc.providers.allowPrivateEgress.mutationOptions({
      onSuccess: (_, input) => {
        toast(input.allowed ? `${name} may now reach private addresses` : `Closed private addresses for ${name}`);
        startRefresh(() => router.refresh());
      },
    }),
  );
  return (
    <div className="space-y-2">
      <FormAlert error={change.error} />
      <ConfirmButton
        question={
          allowed
            ? `Close private addresses for ${name}? Providers and tools on internal addresses stop working.`
            : `Let ${name} reach private addresses? Its providers and allow-listed tool hosts may then call into this network.`
        }
        confirmLabel={allowed ? 'Revoke' : 'Grant'}
        variant={allowed ? 'danger' : 'primary'}
        pending={change.isPending || refreshing}
        pendingLabel={allowed ? 'Revoking…' : 'Granting…'}
        onConfirm={() => change.mutate({ workspaceId, allowed: !allowed })}
      >
        {allowed ? 'Revoke private egress' : 'Grant private egress'}
      </ConfirmButton>
    </div>
  );
}
