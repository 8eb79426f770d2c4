'use client';
// The operator issues a one-time password reset link for a user and sees it
// once, to hand over out of band. The issue is recorded in the account audit.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../trpc-provider';
import { ConfirmButton } from '../ui/confirm-button';
import { CopyField } from '../ui/copy-field';
import { FormAlert } from '../ui/form-feedback';

export function IssueResetLink({ userId, email }: { userId: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const issue = useMutation(trpc.admin.issueResetLink.mutationOptions({ onSuccess: () => router.refresh() }));
  if (issue.data) {
    return (
      <div className="w-full space-y-1">
        <CopyField label={`Reset link for ${email} (works once, for 1 hour)`} value={issue.data.url} />
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <FormAlert error={issue.error} />
      <ConfirmButton
        question={`Issue a reset link for ${email}? It is recorded and shown to them.`}
        confirmLabel="Issue link"
        variant="primary"
        pending={issue.isPending}
        pendingLabel="Issuing…"
        onConfirm={() => issue.mutate({ userId })}
      >
        Issue reset link
      </ConfirmButton>
    </div>
  );
}
