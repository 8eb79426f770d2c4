'use client';
// Asks for an account. The server answers the same whether or not the email
// already has one: without mail it is "ready" and the form signs in at once
// (if that fails — say the email was taken — it shows the neutral answer and a
// link to sign in); with mail it is "check your inbox".
import { useMutation } from '@tanstack/react-query';
import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';
import { EmailField } from './email-field';

export function SignUpForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [answer, setAnswer] = useState<{ message: string; email: string }>();
  const [signingIn, setSigningIn] = useState(false);
  const { formRef, summaryRef } = useFocusOnError(signUp.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    };
    setAnswer(undefined);
    let outcome;
    try {
      outcome = await signUp.mutateAsync(input);
    } catch {
      return; // shown from signUp.error
    }
    if (outcome.outcome === 'check-inbox') {
      setAnswer({ message: outcome.message, email: input.email });
      return;
    }
    setSigningIn(true);
    const result = await signIn('credentials', { email: input.email, password: input.password, redirect: false });
    if (!result || result.error) {
      setSigningIn(false);
      setAnswer({ message: outcome.message, email: input.email });
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  if (answer) {
    const signInHref = `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}&email=${encodeURIComponent(answer.email.trim())}`;
    return (
      <div className="space-y-4">
        <Alert tone="info">{answer.message}</Alert>
        <Link href={signInHref} className="block text-center text-sm font-medium text-accent-700 hover:underline">
          Go to sign in
        </Link>
      </div>
    );
  }

  const error = signUp.error;
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormAlert error={error} summaryRef={summaryRef} />
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
      <Button type="submit" className="w-full" pending={signUp.isPending || signingIn} pendingLabel="Creating account…">
        Create account
      </Button>
    </form>
  );
}
