'use client';
// Replaces a secret's value inline in its row: a password field, Save and
// Cancel. The old value is never shown; the new one is cleared once stored.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';

export function ReplaceSecretForm(props: { workspaceId: string; secret: { id: string; name: string }; onDone: (saved: boolean) => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { onDone } = props;
  const update = useMutation(
    trpc.secrets.update.mutationOptions({
      onSuccess: () => {
        update.reset();
        onDone(true);
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate({ workspaceId: props.workspaceId, secretId: props.secret.id, value: String(form.get('value') ?? '') });
  }

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !update.isPending) onDone(false);
      }}
      className="space-y-2"
      noValidate
    >
      <div className="flex flex-wrap items-start gap-2">
        <TextField
          autoFocus
          label={`New value for ${props.secret.name}`}
          name="value"
          type="password"
          required
          autoComplete="new-password"
          spellCheck={false}
          className="min-w-56 flex-1"
          error={fieldError(update.error, 'value')}
        />
        <div className="flex gap-2 sm:mt-6">
          <Button type="submit" pending={update.isPending} pendingLabel="Saving…">
            Save
          </Button>
          {!update.isPending && (
            <Button variant="ghost" onClick={() => onDone(false)}>
              Cancel
            </Button>
          )}
        </div>
      </div>
      <FormErrorSummary message={formError(update.error)} summaryRef={summaryRef} />
    </form>
  );
}
