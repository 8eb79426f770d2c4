'use client';
// The audit log's "Verify" button: walks the hash chain on the server and shows
// whether it is intact or the first position where it breaks, and why.
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { formError } from '../ui/mutation-errors';

export function VerifyChain({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const verify = useMutation(trpc.audit.verify.mutationOptions());
  const result = verify.data;
  return (
    <div className="space-y-3" data-testid="audit-verify">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => verify.mutate({ workspaceId })} pending={verify.isPending} pendingLabel="Verifying…">
          Verify
        </Button>
        <p className="text-sm text-slate-600">Recomputes every event&apos;s hash and checks each links to the one before it.</p>
      </div>
      {verify.error && <Alert>{formError(verify.error)}</Alert>}
      {result?.intact === true && (
        <Alert tone="success">
          The chain is intact: all {result.events} events verified{result.lastHash ? `, ending in hash ${result.lastHash.slice(0, 16)}…` : ''}.
        </Alert>
      )}
      {result?.intact === false && (
        <Alert>
          The chain is broken at event #{result.position}. {result.message} {result.events} events before it verified.
        </Alert>
      )}
    </div>
  );
}
