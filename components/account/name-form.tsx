'use client';
// Change the account's display name.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';

export function NameForm({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const rename = useMutation(trpc.account.rename.mutationOptions({ onSuccess: () => router.refresh() }));
  const { formRef, summaryRef } = useFocusOnError(rename.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ name: String(new FormData(event.currentTarget).get('name') ?? '') });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert error={rename.error} summaryRef={summaryRef} />
      {rename.isSuccess && <Alert tone="success">Name saved.</Alert>}
      <TextField label="Name" name="name" autoComplete="name" defaultValue={name} required error={fieldError(rename.error, 'name')} />
      <Button type="submit" pending={rename.isPending} pendingLabel="Saving…">
        Save name
      </Button>
    </form>
  );
}
