'use client';
// Creates an account, then signs straight in.
import { useMutation } from '@tanstack/react-query';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';
import { EmailField } from './email-field';

export function SignUpForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [signInError, setSignInError] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    };
    setSignInError(undefined);
    try {
      await signUp.mutateAsync(input);
    } catch {
      return; // shown from signUp.error
    }
    const result = await signIn('credentials', { email: input.email, password: input.password, redirect: false });
    if (!result || result.error) {
      setSignInError('Your account was created, but signing in failed. Try signing in.');
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  const error = signUp.error;
  const pending = signUp.isPending || (signUp.isSuccess && !signInError);
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {(formError(error) || signInError) && <Alert>{formError(error) ?? signInError}</Alert>}
      <TextField label="Name" name="name" autoComplete="name" required error={fieldError(error, 'name')} />
      <EmailField defaultEmail={defaultEmail} error={fieldError(error, 'email')} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters"
        error={fieldError(error, 'password')}
      />
      <Button type="submit" className="w-full" pending={pending} pendingLabel="Creating account…">
        Create account
      </Button>
    </form>
  );
}
