'use client';
// Archives an agent after confirming: it keeps its versions but gets no new ones.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';
import { useToast } from '../ui/toast';

export function ArchiveAgentButton({ workspaceId, agentId }: { workspaceId: string; agentId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const toast = useToast();
  const archive = useMutation(
    trpc.agents.archive.mutationOptions({
      onSuccess: (agent) => {
        toast(`Archived ${agent.name}`);
        startRefresh(() => router.refresh());
      },
    }),
  );
  return (
    <div className="space-y-2">
      <ConfirmButton
        question="Archive this agent? Its versions stay readable; it gets no new ones."
        confirmLabel="Archive"
        pending={archive.isPending || refreshing}
        pendingLabel="Archiving…"
        onConfirm={() => archive.mutate({ workspaceId, agentId })}
      >
        Archive agent
      </ConfirmButton>
      {archive.error && <Alert>{archive.error.message}</Alert>}
    </div>
  );
}
