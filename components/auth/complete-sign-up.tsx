'use client';
// The mailed sign-up link's page: one button creates the account (a GET alone
// never does, so mail scanners that open links cannot use it up), then sign-in
// with the email filled in.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormAlert } from '../ui/form-feedback';

export function CompleteSignUp({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const complete = useMutation(
    trpc.account.completeSignUp.mutationOptions({
      onSuccess: ({ email }) => router.replace(`/sign-in?email=${encodeURIComponent(email)}`),
    }),
  );
  return (
    <div className="space-y-4">
      <FormAlert error={complete.error} />
      <Button
        className="w-full"
        pending={complete.isPending || complete.isSuccess}
        pendingLabel="Creating account…"
        onClick={() => complete.mutate({ token })}
      >
        Create my account
      </Button>
    </div>
  );
}
