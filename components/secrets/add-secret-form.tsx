'use client';
// Adds a secret: a name and a value typed into a password field. The value goes
// to the server once and is cleared from the form and the mutation's state as
// soon as it is stored; nothing shows it again.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';

export function AddSecretForm({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState<string>();
  const create = useMutation(
    trpc.secrets.create.mutationOptions({
      onSuccess: (secret) => {
        formRef.current?.reset();
        setSaved(secret.name);
        create.reset();
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(undefined);
    const form = new FormData(event.currentTarget);
    create.mutate({ workspaceId, name: String(form.get('name') ?? '').trim(), value: String(form.get('value') ?? '') });
  }

  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[14rem_1fr_auto] sm:items-start" noValidate>
        <TextField
          label="Name"
          name="name"
          required
          autoComplete="off"
          spellCheck={false}
          placeholder="OPENAI_API_KEY"
          className="font-mono"
          error={fieldError(create.error, 'name')}
        />
        <TextField
          label="Value"
          name="value"
          type="password"
          required
          autoComplete="new-password"
          spellCheck={false}
          hint="Stored encrypted. It cannot be shown again, only replaced."
          error={fieldError(create.error, 'value')}
        />
        <Button type="submit" className="sm:mt-6" pending={create.isPending} pendingLabel="Saving…">
          Add secret
        </Button>
      </form>
      <FormErrorSummary message={formError(create.error)} summaryRef={summaryRef} />
      {saved && !create.isPending && (
        <Alert tone="success">
          Saved <span className="font-mono">{saved}</span>. Its value is stored encrypted and will not be shown again.
        </Alert>
      )}
    </div>
  );
}
