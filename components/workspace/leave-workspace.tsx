'use client';
// Leave the workspace, after an inline confirmation. A sole owner sees the
// button disabled with the reason beside it (the server refuses them too, and
// any refusal is shown here).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';
import { useToast } from '../ui/toast';
import { SOLE_OWNER_REASON } from './role-options';

export function LeaveWorkspace({ workspaceId, name, soleOwner }: { workspaceId: string; name: string; soleOwner: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const reasonId = useId();
  const leave = useMutation(
    trpc.workspaces.leave.mutationOptions({
      onSuccess: () => {
        toast(`You left ${name}`);
        router.replace('/');
        router.refresh();
      },
    }),
  );
  return (
    <div className="space-y-3">
      {leave.error && <Alert>{leave.error.message}</Alert>}
      <div className="flex flex-wrap items-center gap-3">
        <ConfirmButton
          question={`Leave ${name}? You will need a new invitation to come back.`}
          confirmLabel="Leave workspace"
          pending={leave.isPending || leave.isSuccess}
          pendingLabel="Leaving…"
          onConfirm={() => leave.mutate({ workspaceId })}
          disabled={soleOwner}
          describedBy={soleOwner ? reasonId : undefined}
        >
          Leave workspace
        </ConfirmButton>
        {soleOwner && (
          <p id={reasonId} className="text-sm text-slate-600">
            {SOLE_OWNER_REASON}
          </p>
        )}
      </div>
    </div>
  );
}
