'use client';
// The prompt library: each snippet's name, description, text and who includes it.
// Writers edit in place or delete one that nothing includes.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { useToast } from '../ui/toast';
import { SnippetForm } from './snippet-form';

export type SnippetRow = { id: string; name: string; description: string; body: string; updatedAt: Date; usedBy: string[] };

export function SnippetsList(props: { workspaceId: string; snippets: SnippetRow[]; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const [error, setError] = useState<string>();
  const [refreshing, startRefresh] = useTransition();
  const remove = useMutation(
    trpc.prompts.delete.mutationOptions({
      onError: (e) => setError(e.message),
      onSuccess: (_, { snippetId }) => {
        toast(`Deleted ${props.snippets.find((s) => s.id === snippetId)?.name ?? 'the snippet'}`);
        startRefresh(() => router.refresh());
      },
    }),
  );

  if (props.snippets.length === 0) {
    return (
      <EmptyState title="No snippets yet">
        {props.canWrite ? 'Add text that several prompts share, such as a tone of voice or a policy.' : 'Members, admins and owners can add them.'}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      {error && <Alert>{error}</Alert>}
      <ul className="-mx-5 divide-y divide-slate-100 sm:-mx-6" aria-label="Snippets">
        {props.snippets.map((s) => (
          <li key={s.id} aria-label={s.name} className="space-y-2 px-5 py-4 sm:px-6">
            {editing === s.id ? (
              <SnippetForm workspaceId={props.workspaceId} snippet={s} onDone={() => setEditing(undefined)} />
            ) : (
              <>
                <div className="flex flex-wrap items-start gap-3">
                  <div className="min-w-0 flex-1">
                    <p className="font-mono text-sm font-medium text-slate-900">{`{{> ${s.name}}}`}</p>
                    {s.description && <p className="text-sm text-slate-600">{s.description}</p>}
                    <p className="text-xs text-slate-500">
                      Updated <LocalTime date={s.updatedAt} withTime />
                      {s.usedBy.length > 0 ? ` · Included by ${s.usedBy.join(', ')}` : ' · Not included anywhere'}
                    </p>
                  </div>
                  {props.canWrite && (
                    <div className="flex gap-2">
                      <Button variant="secondary" onClick={() => setEditing(s.id)}>
                        Edit
                      </Button>
                      <ConfirmButton
                        question={`Delete ${s.name}?`}
                        confirmLabel="Delete"
                        pending={(remove.isPending || refreshing) && deleting === s.id}
                        pendingLabel="Deleting…"
                        nowrap
                        onConfirm={() => {
                          setError(undefined);
                          setDeleting(s.id);
                          remove.mutate({ workspaceId: props.workspaceId, snippetId: s.id });
                        }}
                      >
                        Delete
                      </ConfirmButton>
                    </div>
                  )}
                </div>
                <pre className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200">{s.body}</pre>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
