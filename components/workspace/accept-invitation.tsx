'use client';
// Accepts an invitation for the signed-in user and opens the workspace.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';

export function AcceptInvitation({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: (workspace) => {
        router.replace(`/w/${workspace.slug}`);
        router.refresh();
      },
    }),
  );
  return (
    <div className="space-y-3">
      {accept.error && <Alert>{accept.error.message}</Alert>}
      <Button className="w-full" pending={accept.isPending || accept.isSuccess} pendingLabel="Joining…" onClick={() => accept.mutate({ token })}>
        Accept invitation
      </Button>
    </div>
  );
}
