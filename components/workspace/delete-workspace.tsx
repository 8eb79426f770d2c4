'use client';
// Deletes the workspace and everything in it, once the owner has typed its name.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';

export function DeleteWorkspace({ workspaceId, name }: { workspaceId: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const remove = useMutation(
    trpc.workspaces.delete.mutationOptions({
      onSuccess: () => {
        router.replace('/');
        router.refresh();
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (typed.trim() !== name) return setMismatch(true);
    remove.mutate({ workspaceId });
  }

  return (
    <form className="space-y-3" onSubmit={onSubmit} noValidate>
      {remove.error && <Alert>{remove.error.message}</Alert>}
      <TextField
        label={`Type the workspace name, ${name}, to confirm`}
        name="confirm"
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          setMismatch(false);
        }}
        autoComplete="off"
        spellCheck={false}
        error={mismatch ? 'The name does not match' : undefined}
      />
      <Button type="submit" variant="danger" disabled={typed.trim() !== name} pending={remove.isPending || remove.isSuccess} pendingLabel="Deleting…">
        Delete this workspace
      </Button>
    </form>
  );
}
