'use client';
// The workspace's secrets by name, with when each was created, changed and last
// used — never a value. Writers (secrets:write) can replace a value inline or
// delete a secret after confirming; everyone else sees the list read-only.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { useToast } from '../ui/toast';
import { ReplaceSecretForm } from './replace-secret-form';

export type SecretRow = { id: string; name: string; createdAt: Date; updatedAt: Date; lastUsedAt: Date | null };

export function SecretsTable(props: { workspaceId: string; secrets: SecretRow[]; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [replacing, setReplacing] = useState<string>();
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string }>();
  const [refreshing, startRefresh] = useTransition();
  const toast = useToast();
  // The row whose inline form just closed: focus goes back to its "Replace value" button.
  const [returnFocusTo, setReturnFocusTo] = useState<string>();
  useEffect(() => {
    if (!returnFocusTo) return;
    document.querySelector<HTMLButtonElement>(`[data-replace-secret="${returnFocusTo}"]`)?.focus();
    setReturnFocusTo(undefined);
  }, [returnFocusTo]);
  const remove = useMutation(
    trpc.secrets.delete.mutationOptions({
      onError: (e) => setNotice({ tone: 'error', text: e.message }),
      onSuccess: (_, { secretId }) => {
        setNotice(undefined);
        toast(`Deleted ${props.secrets.find((s) => s.id === secretId)?.name ?? 'the secret'}`);
        startRefresh(() => router.refresh());
      },
    }),
  );

  if (props.secrets.length === 0) {
    return (
      <EmptyState title="No secrets yet">
        {props.canWrite ? 'Add an API key or token above; providers and tools refer to it by name.' : 'Owners and admins can add them.'}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      <div className="-mx-5 sm:-mx-6 sm:overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead className="hidden border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 sm:table-header-group">
            <tr>
              <th scope="col" className="py-2 pl-6 pr-4 font-medium">Name</th>
              <th scope="col" className="py-2 pr-4 font-medium">Created</th>
              <th scope="col" className="py-2 pr-4 font-medium">Updated</th>
              <th scope="col" className="py-2 pr-4 font-medium">Last used</th>
              {props.canWrite && (
                <th scope="col" className="py-2 pr-6 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {props.secrets.map((s) => (
              <tr key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 sm:table-row sm:p-0">
                <td className="basis-full break-all font-mono font-medium text-slate-900 sm:py-3 sm:pl-6 sm:pr-4">{s.name}</td>
                <td className="whitespace-nowrap text-slate-500 sm:py-3 sm:pr-4">
                  <span className="sm:hidden">Created </span>
                  <LocalTime date={s.createdAt} />
                </td>
                <td className="whitespace-nowrap text-slate-500 sm:py-3 sm:pr-4">
                  <span className="sm:hidden">Updated </span>
                  <LocalTime date={s.updatedAt} withTime />
                </td>
                <td className="whitespace-nowrap text-slate-500 sm:py-3 sm:pr-4">
                  <span className="sm:hidden">Last used </span>
                  {s.lastUsedAt ? <LocalTime date={s.lastUsedAt} withTime /> : 'Never'}
                </td>
                {props.canWrite && (
                  <td className="basis-full sm:basis-auto sm:py-3 sm:pr-6 sm:text-right">
                    {replacing === s.id ? (
                      <ReplaceSecretForm
                        workspaceId={props.workspaceId}
                        secret={s}
                        onDone={(saved) => {
                          setReplacing(undefined);
                          setReturnFocusTo(s.id);
                          setNotice(saved ? { tone: 'success', text: `Replaced the value of ${s.name}.` } : undefined);
                        }}
                      />
                    ) : (
                      <div className="flex justify-end gap-2">
                        <Button variant="secondary" data-replace-secret={s.id} aria-label={`Replace value of ${s.name}`} onClick={() => setReplacing(s.id)}>
                          Replace value
                        </Button>
                        <ConfirmButton
                          nowrap
                          question={`Delete ${s.name}? Anything using it stops working.`}
                          confirmLabel="Delete"
                          pending={(remove.isPending || refreshing) && remove.variables?.secretId === s.id}
                          pendingLabel="Deleting…"
                          onConfirm={() => remove.mutate({ workspaceId: props.workspaceId, secretId: s.id })}
                        >
                          Delete
                        </ConfirmButton>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
