'use client';
// Deletes the workspace and everything in it once the owner has typed its URL
// slug; the server checks the slug again and answers a mismatch with a field error.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';
import { useToast } from '../ui/toast';

export function DeleteWorkspace({ workspaceId, name, slug }: { workspaceId: string; name: string; slug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const toast = useToast();
  const remove = useMutation(
    trpc.workspaces.delete.mutationOptions({
      onSuccess: () => {
        toast(`Deleted ${name}`);
        router.replace('/');
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(remove.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (typed.trim() !== slug) return setMismatch(true);
    remove.mutate({ workspaceId, confirm: typed.trim() });
  }

  return (
    <form ref={formRef} className="space-y-3" onSubmit={onSubmit} noValidate>
      <FormErrorSummary message={formError(remove.error)} summaryRef={summaryRef} />
      <TextField
        label={`Type the workspace URL, ${slug}, to confirm`}
        name="confirm"
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          setMismatch(false);
        }}
        autoComplete="off"
        spellCheck={false}
        error={mismatch ? `That is not this workspace's URL; type ${slug}` : fieldError(remove.error, 'confirm')}
      />
      <Button type="submit" variant="danger" pending={remove.isPending || remove.isSuccess} pendingLabel="Deleting…">
        Delete this workspace
      </Button>
    </form>
  );
}
