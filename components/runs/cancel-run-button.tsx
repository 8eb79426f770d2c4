'use client';
// Cancels a run that has not finished, after confirming: a queued or waiting run
// stops at once, a running one at its next step. A toast says which happened.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';
import { formError } from '../ui/mutation-errors';
import { useToast } from '../ui/toast';

export function CancelRunButton({ workspaceId, runId }: { workspaceId: string; runId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [refreshing, startRefresh] = useTransition();
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: (run) => {
        toast(
          run.status === 'cancelled'
            ? 'Run cancelled'
            : run.status === 'running'
              ? 'Cancel requested: the run stops at its next step'
              : `The run had already ended (${run.status.replace('_', ' ')})`,
        );
        startRefresh(() => router.refresh());
      },
    }),
  );
  return (
    <div className="space-y-2">
      <ConfirmButton
        question="Cancel this run? It stops and cannot be resumed."
        confirmLabel="Yes, cancel the run"
        pending={cancel.isPending || refreshing}
        pendingLabel="Cancelling…"
        onConfirm={() => cancel.mutate({ workspaceId, runId })}
      >
        Cancel run
      </ConfirmButton>
      {cancel.error && <Alert>{formError(cancel.error)}</Alert>}
    </div>
  );
}
