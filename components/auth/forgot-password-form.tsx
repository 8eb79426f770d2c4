'use client';
// "Forgot password?": asks for the email and shows the server's answer, which
// is the same whether or not the email has an account.
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { EmailField } from './email-field';

export function ForgotPasswordForm({ defaultEmail }: { defaultEmail?: string }) {
  const trpc = useTRPC();
  const request = useMutation(trpc.account.requestPasswordReset.mutationOptions());
  const { formRef, summaryRef } = useFocusOnError(request.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate({ email: String(new FormData(event.currentTarget).get('email') ?? '') });
  }

  if (request.data) return <Alert tone="info">{request.data.message}</Alert>;
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert error={request.error} summaryRef={summaryRef} />
      <EmailField defaultEmail={defaultEmail} error={fieldError(request.error, 'email')} />
      <Button type="submit" className="w-full" pending={request.isPending} pendingLabel="Sending…">
        Send reset link
      </Button>
    </form>
  );
}
