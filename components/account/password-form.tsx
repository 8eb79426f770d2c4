'use client';
// Change the password: the current one is required; every other signed-in
// device is signed out, this one stays signed in.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';

export function PasswordForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => {
        formRef.current?.reset();
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ currentPassword: String(form.get('currentPassword') ?? ''), newPassword: String(form.get('newPassword') ?? '') });
  }

  const ended = change.data?.otherSessionsEnded ?? 0;
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert error={change.error} summaryRef={summaryRef} />
      {change.isSuccess && (
        <Alert tone="success">
          Password changed.{ended > 0 && ` ${ended === 1 ? '1 other device was' : `${ended} other devices were`} signed out.`}
        </Alert>
      )}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fieldError(change.error, 'currentPassword')}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters. Other devices will be signed out."
        error={fieldError(change.error, 'newPassword')}
      />
      <Button type="submit" pending={change.isPending} pendingLabel="Changing…">
        Change password
      </Button>
    </form>
  );
}
