'use client';
// The workspace's custom HTTP tools: method, URL, auth secret by name and state.
// Admins and owners edit in place or delete a tool no agent enables.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { useToast } from '../ui/toast';
import { CustomToolForm, type CustomToolRow } from './custom-tool-form';

export function CustomToolsList(props: { workspaceId: string; tools: CustomToolRow[]; secretNames: string[]; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const [error, setError] = useState<string>();
  const [refreshing, startRefresh] = useTransition();
  const remove = useMutation(
    trpc.tools.delete.mutationOptions({
      onError: (e) => setError(e.message),
      onSuccess: (_, { toolId }) => {
        toast(`Deleted ${props.tools.find((t) => t.id === toolId)?.name ?? 'the tool'}`);
        startRefresh(() => router.refresh());
      },
    }),
  );
  if (props.tools.length === 0) {
    return (
      <EmptyState title="No custom tools yet">
        {props.canWrite ? 'Add one to let agents call your own HTTP APIs.' : 'Owners and admins can add them.'}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      {error && <Alert>{error}</Alert>}
      <ul className="-mx-5 divide-y divide-slate-100 sm:-mx-6" aria-label="Custom tools">
        {props.tools.map((t) => (
          <li key={t.id} aria-label={t.name} className="space-y-2 px-5 py-4 sm:px-6">
            {editing === t.id ? (
              <CustomToolForm workspaceId={props.workspaceId} secretNames={props.secretNames} tool={t} onDone={() => setEditing(undefined)} />
            ) : (
              <div className="flex flex-wrap items-start gap-3">
                <div className="min-w-0 flex-1 space-y-1">
                  <p className="font-mono text-sm font-medium text-slate-900">
                    {t.name}
                    {!t.enabled && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 font-sans text-xs text-slate-600">Disabled</span>}
                  </p>
                  <p className="text-sm text-slate-600">{t.description}</p>
                  <p className="break-all font-mono text-xs text-slate-500">
                    {t.method} {t.urlTemplate}
                  </p>
                  <p className="text-xs text-slate-500">
                    {t.auth === null ? (
                      'No auth header'
                    ) : t.auth.secretName ? (
                      <>
                        {t.auth.header}: {t.auth.prefix}
                        <span className="font-mono">{`<${t.auth.secretName}>`}</span>
                      </>
                    ) : (
                      <span className="text-amber-700">Its secret was deleted: pick another, or agents cannot call it.</span>
                    )}
                  </p>
                  <details className="text-xs">
                    <summary className="min-h-10 cursor-pointer py-2 text-slate-600 sm:min-h-0 sm:py-0">Parameters</summary>
                    <pre tabIndex={0} role="region" aria-label={`Parameters of ${t.name}`} className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-slate-800 ring-1 ring-slate-200">{JSON.stringify(t.parameters, null, 2)}</pre>
                  </details>
                </div>
                {props.canWrite && (
                  <div className="flex gap-2">
                    <Button variant="secondary" onClick={() => setEditing(t.id)}>
                      Edit
                    </Button>
                    <ConfirmButton
                      question={`Delete ${t.name}?`}
                      confirmLabel="Delete"
                      pending={(remove.isPending || refreshing) && deleting === t.id}
                      pendingLabel="Deleting…"
                      nowrap
                      onConfirm={() => {
                        setError(undefined);
                        setDeleting(t.id);
                        remove.mutate({ workspaceId: props.workspaceId, toolId: t.id });
                      }}
                    >
                      Delete
                    </ConfirmButton>
                  </div>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
