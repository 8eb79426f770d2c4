'use client';
// The workspace's egress allow-list on the Tools page: which hosts http_request and
// custom HTTP tools may reach. Admins add a host or *.domain and remove entries;
// everyone else reads. Private addresses stay closed unless the operator opened them.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { LocalTime } from '../ui/local-time';
import { TextField } from '../ui/text-field';
import { useToast } from '../ui/toast';
import { formProblem, problemAt } from './form-problems';

export type AllowedHostRow = { id: string; pattern: string; note: string; createdAt: Date };

const FIELDS = ['pattern', 'note'];

export function EgressAllowList(props: { workspaceId: string; hosts: AllowedHostRow[]; allowPrivateAddresses: boolean; canWrite: boolean }) {
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {props.allowPrivateAddresses
          ? 'The platform operator lets this workspace reach private network addresses (for example an in-cluster service). Cloud metadata addresses stay closed.'
          : 'Whatever is listed, addresses on private networks, loopback and cloud metadata are refused after the name is resolved; only the platform operator can open private addresses.'}
      </p>
      {props.canWrite && <AllowHostForm workspaceId={props.workspaceId} />}
      <AllowedHosts {...props} />
    </div>
  );
}

function AllowHostForm({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [refreshing, startRefresh] = useTransition();
  const allow = useMutation(
    trpc.egress.allowHost.mutationOptions({
      onSuccess: (_, { pattern }) => {
        formRef.current?.reset();
        toast(`Allowed ${pattern.trim()}`);
        startRefresh(() => router.refresh());
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    allow.mutate({ workspaceId, pattern: String(form.get('pattern') ?? ''), note: String(form.get('note') ?? '') });
  }

  const problem = formProblem(allow.error, FIELDS);
  const { formRef, summaryRef } = useFocusOnError(allow.error);
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Allow a host">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Host"
          name="pattern"
          required
          autoComplete="off"
          spellCheck={false}
          placeholder="api.example.com or *.example.com"
          hint="A host name, or *.domain for all of its subdomains. Every port of the host is allowed."
          error={problemAt(allow.error, 'pattern')}
        />
        <TextField label="Note (optional)" name="note" maxLength={200} placeholder="What it is for" error={problemAt(allow.error, 'note')} />
      </div>
      <Button type="submit" pending={allow.isPending || refreshing} pendingLabel="Adding…">
        Allow host
      </Button>
      <FormErrorSummary message={problem} summaryRef={summaryRef} />
    </form>
  );
}

function AllowedHosts(props: { workspaceId: string; hosts: AllowedHostRow[]; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [removing, setRemoving] = useState<string>();
  const [error, setError] = useState<string>();
  const [refreshing, startRefresh] = useTransition();
  const remove = useMutation(
    trpc.egress.removeHost.mutationOptions({
      onError: (e) => setError(e.message),
      onSuccess: (_, { hostId }) => {
        toast(`Removed ${props.hosts.find((h) => h.id === hostId)?.pattern ?? 'the host'}`);
        startRefresh(() => router.refresh());
      },
    }),
  );

  if (props.hosts.length === 0) {
    return (
      <EmptyState title="No hosts allowed yet">
        Tools cannot reach any outside host until one is listed here. Saving a custom HTTP tool adds its host.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      {error && <Alert>{error}</Alert>}
      <ul className="-mx-5 divide-y divide-slate-100 sm:-mx-6" aria-label="Allowed hosts">
        {props.hosts.map((h) => (
          <li key={h.id} aria-label={h.pattern} className="flex flex-wrap items-center gap-3 px-5 py-3 sm:px-6">
            <div className="min-w-0 flex-1">
              <p className="break-all font-mono text-sm font-medium text-slate-900">{h.pattern}</p>
              <p className="text-xs text-slate-500">
                {h.note ? `${h.note} · ` : ''}Added <LocalTime date={h.createdAt} />
              </p>
            </div>
            {props.canWrite && (
              <ConfirmButton
                question={`Remove ${h.pattern}? Tools can no longer reach it.`}
                confirmLabel="Remove"
                pending={(remove.isPending || refreshing) && removing === h.id}
                pendingLabel="Removing…"
                nowrap
                onConfirm={() => {
                  setError(undefined);
                  setRemoving(h.id);
                  remove.mutate({ workspaceId: props.workspaceId, hostId: h.id });
                }}
              >
                Remove
              </ConfirmButton>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
