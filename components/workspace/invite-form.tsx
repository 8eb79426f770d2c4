'use client';
// Invites someone by email with a role (owner only for owners) and shows the
// invitation link to pass on, saying whether it was also emailed. Inviting an
// email that already has a pending invitation asks first, since the old link
// stops working. The link panel goes away when its invitation is revoked or replaced.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { CopyField } from '../ui/copy-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { useInvitationLinks } from './invitation-links';
import { roleLabel, roleOptions } from './role-options';

type Pending = { id: string; email: string; role: WorkspaceRole };
type Draft = { email: string; role: WorkspaceRole; replacing: Pending };

export function InviteForm(props: { workspaceId: string; canInviteOwners: boolean; pending: Pending[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const links = useInvitationLinks();
  const [draft, setDraft] = useState<Draft>();
  const emailRef = useRef<HTMLInputElement>(null);
  const replaceRef = useRef<HTMLButtonElement>(null);
  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: (result, input) => {
        links.remember(
          { invitationId: result.invitation.id, email: result.invitation.email, url: result.url, emailing: result.emailing },
          props.pending.find((p) => p.email === result.invitation.email)?.id,
        );
        setDraft(undefined);
        if (!input.replaceExisting) formRef.current?.reset();
        router.refresh();
      },
      onError: () => setDraft(undefined),
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(invite.error);

  useEffect(() => {
    if (draft) replaceRef.current?.focus();
  }, [draft]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    const role = String(form.get('role') ?? 'member') as WorkspaceRole;
    const replacing = props.pending.find((p) => p.email === email.trim().toLowerCase());
    // Ask before replacing; an invitation this role may not replace goes to the server, which says why.
    if (replacing && (replacing.role !== 'owner' || props.canInviteOwners)) return setDraft({ email, role, replacing });
    invite.mutate({ workspaceId: props.workspaceId, email, role });
  }

  function cancelReplace() {
    setDraft(undefined);
    emailRef.current?.focus();
  }

  const result = invite.data;
  const shown = result && !invite.isPending ? links.get(result.invitation.id) : undefined;
  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start" noValidate>
        <TextField
          ref={emailRef}
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          required
          placeholder="teammate@example.com"
          error={fieldError(invite.error, 'email')}
        />
        <SelectField label="Role" name="role" defaultValue="member" options={roleOptions(props.canInviteOwners)} error={fieldError(invite.error, 'role')} />
        <Button type="submit" className="sm:mt-6" pending={invite.isPending} pendingLabel="Inviting…" disabled={draft !== undefined}>
          Invite
        </Button>
      </form>
      {draft && (
        <div
          role="group"
          aria-label="Replace the pending invitation"
          className="flex flex-wrap items-center gap-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancelReplace();
          }}
        >
          <p className="min-w-0 grow basis-64 break-words">
            <span className="font-medium">{draft.replacing.email}</span> already has a pending invitation as{' '}
            {roleLabel(draft.replacing.role).toLowerCase()}. Replace it with a new {roleLabel(draft.role).toLowerCase()} invitation? The old link
            will stop working.
          </p>
          <Button
            ref={replaceRef}
            onClick={() => invite.mutate({ workspaceId: props.workspaceId, email: draft.email, role: draft.role, replaceExisting: true })}
          >
            Replace invitation
          </Button>
          <Button variant="ghost" onClick={cancelReplace}>
            Cancel
          </Button>
        </div>
      )}
      <FormErrorSummary message={formError(invite.error)} summaryRef={summaryRef} />
      {result && shown && (
        <div className="space-y-2 rounded-md bg-accent-50 p-4 ring-1 ring-inset ring-accent-100">
          <p className="break-words text-sm text-accent-800" role="status">
            Invited <span className="font-medium">{result.invitation.email}</span> as {roleLabel(result.invitation.role).toLowerCase()}.{' '}
            {result.emailing ? 'We are also emailing them this link; you can share it yourself too.' : 'Send them this link:'}
          </p>
          <CopyField label="Invitation link" value={shown.url} buttonLabel="Copy link" />
          <p className="text-xs text-slate-600">
            The link works once, only for that email address, and expires in 7 days. It is shown only now: to share it again later, use
            Resend below, which sends a fresh link.
          </p>
        </div>
      )}
    </div>
  );
}
