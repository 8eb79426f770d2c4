'use client';
// Email + password sign-in through next-auth's credentials provider. Missing
// fields are flagged next to the field (focus moves to the first); a refusal
// is announced above the form.
import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '../ui/alert';
import { useFocusOnError } from '../ui/form-feedback';
import { Button } from '../ui/button';
import { TextField } from '../ui/text-field';
import { EmailField } from './email-field';

type FieldErrors = { email?: string; password?: string };

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  const { formRef } = useFocusOnError(fieldErrors.email || fieldErrors.password ? fieldErrors : null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const missing: FieldErrors = {
      email: email ? undefined : 'Enter your email address',
      password: password ? undefined : 'Enter your password',
    };
    setFieldErrors(missing);
    setError(undefined);
    if (missing.email || missing.password) return;

    setPending(true);
    const result = await signIn('credentials', { email, password, redirect: false });
    if (!result || result.error) {
      setPending(false);
      // next-auth reports plain wrong credentials as 'CredentialsSignin'; the throttle sends its own message.
      setError(!result?.error || result.error === 'CredentialsSignin' ? 'Wrong email or password' : result.error);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate aria-describedby={error ? 'sign-in-error' : undefined}>
      {error && <Alert id="sign-in-error">{error}</Alert>}
      {!error && (fieldErrors.email || fieldErrors.password) && <Alert>Check the fields marked below.</Alert>}
      <EmailField defaultEmail={defaultEmail} error={fieldErrors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <Button type="submit" className="w-full" pending={pending} pendingLabel="Signing in…">
        Sign in
      </Button>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="text-accent-700 hover:underline">
          Forgot password?
        </Link>
      </p>
    </form>
  );
}
