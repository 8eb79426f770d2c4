'use client';
// Signs out, then goes to the sign-in page (or another same-site page, e.g. to
// sign in again as the invited account).
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Button, type ButtonVariant } from '../ui/button';

export function SignOutButton({
  variant = 'ghost',
  label = 'Sign out',
  callbackUrl = '/sign-in',
  className,
}: {
  variant?: ButtonVariant;
  label?: string;
  callbackUrl?: string;
  className?: string;
}) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant={variant}
      className={className}
      pending={pending}
      pendingLabel="Signing out…"
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl });
      }}
    >
      {label}
    </Button>
  );
}
