'use client';
// Leave the workspace, after an inline confirmation. The server refuses the last
// owner; that message is shown here.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';

export function LeaveWorkspace({ workspaceId, name }: { workspaceId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const leave = useMutation(
    trpc.workspaces.leave.mutationOptions({
      onSuccess: () => {
        router.replace('/');
        router.refresh();
      },
    }),
  );
  return (
    <div className="space-y-3">
      {leave.error && <Alert>{leave.error.message}</Alert>}
      <div className="flex">
        <ConfirmButton
          question={`Leave ${name}? You will need a new invitation to come back.`}
          confirmLabel="Leave workspace"
          pending={leave.isPending || leave.isSuccess}
          pendingLabel="Leaving…"
          onConfirm={() => leave.mutate({ workspaceId })}
        >
          Leave workspace
        </ConfirmButton>
      </div>
    </div>
  );
}
