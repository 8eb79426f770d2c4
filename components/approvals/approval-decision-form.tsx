'use client';
// Approve or reject one waiting step, with a reason (required to reject). The
// server checks everything; its message shows beside the reason or above the form.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { inputClass } from '../ui/text-field';
import { useToast } from '../ui/toast';

export function ApprovalDecisionForm({ workspaceId, approvalId, label }: { workspaceId: string; approvalId: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const done = (what: string) => () => {
    toast(`${label}: ${what}`);
    router.refresh();
  };
  const approve = useMutation(trpc.approvals.approve.mutationOptions({ onSuccess: done('approved, the run continues') }));
  const reject = useMutation(trpc.approvals.reject.mutationOptions({ onSuccess: done('rejected, the run fails') }));
  const error = approve.error ?? reject.error;
  const { formRef, summaryRef } = useFocusOnError(error);
  const reasonError = fieldError(error, 'reason');
  const pending = approve.isPending || reject.isPending;
  return (
    <form ref={formRef} className="space-y-2" aria-label={`Decide: ${label}`} onSubmit={(e) => e.preventDefault()}>
      <FormAlert error={error} summaryRef={summaryRef} />
      <label htmlFor={reasonId} className="block text-sm font-medium text-slate-700">
        Reason <span className="font-normal text-slate-500">(required to reject)</span>
      </label>
      <textarea
        id={reasonId}
        rows={2}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        aria-invalid={reasonError ? true : undefined}
        aria-describedby={reasonError ? `${reasonId}-error` : undefined}
        className={inputClass}
      />
      {reasonError && (
        <p id={`${reasonId}-error`} className="text-sm text-red-600">
          {reasonError}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button
          type="submit"
          pending={approve.isPending}
          pendingLabel="Approving…"
          disabled={pending}
          onClick={() => {
            reject.reset();
            approve.mutate({ workspaceId, approvalId, ...(reason.trim() ? { reason } : {}) });
          }}
        >
          Approve
        </Button>
        <Button
          variant="secondary"
          pending={reject.isPending}
          pendingLabel="Rejecting…"
          disabled={pending}
          onClick={() => {
            approve.reset();
            reject.mutate({ workspaceId, approvalId, reason });
          }}
        >
          Reject
        </Button>
      </div>
    </form>
  );
}
