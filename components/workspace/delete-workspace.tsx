'use client';
// Deletes the workspace and everything in it, after the owner types its name.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';

export function DeleteWorkspace({ workspaceId, name }: { workspaceId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [typed, setTyped] = useState('');
  const remove = useMutation(
    trpc.workspaces.delete.mutationOptions({
      onSuccess: () => {
        router.replace('/');
        router.refresh();
      },
    }),
  );
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        remove.mutate({ workspaceId });
      }}
    >
      {remove.error && <Alert>{remove.error.message}</Alert>}
      <TextField
        label={`Type "${name}" to confirm`}
        name="confirm"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
      />
      <Button type="submit" variant="danger" disabled={typed !== name} pending={remove.isPending || remove.isSuccess} pendingLabel="Deleting…">
        Delete workspace
      </Button>
    </form>
  );
}
