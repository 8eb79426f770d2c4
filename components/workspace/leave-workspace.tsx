'use client';
// Leave the workspace (refused for its last owner).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';

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
      <Button
        variant="secondary"
        pending={leave.isPending || leave.isSuccess}
        pendingLabel="Leaving…"
        onClick={() => {
          if (window.confirm(`Leave ${name}? You will need a new invitation to come back.`)) leave.mutate({ workspaceId });
        }}
      >
        Leave workspace
      </Button>
    </div>
  );
}
