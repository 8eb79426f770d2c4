'use client';
// Sets a new password from a one-time reset link; every session of the account
// ends, and the user signs in again with the new password.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';

export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const reset = useMutation(
    trpc.account.resetPassword.mutationOptions({
      onSuccess: ({ email }) => router.replace(`/sign-in?email=${encodeURIComponent(email)}`),
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(reset.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reset.mutate({ token, password: String(new FormData(event.currentTarget).get('password') ?? '') });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert error={reset.error} summaryRef={summaryRef} />
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters"
        error={fieldError(reset.error, 'password')}
      />
      <Button type="submit" className="w-full" pending={reset.isPending || reset.isSuccess} pendingLabel="Saving…">
        Set new password
      </Button>
    </form>
  );
}
