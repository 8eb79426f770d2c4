'use client';
// Invites someone by email with a role (owner only for owners) and shows the
// invitation link to pass on, saying whether it was also emailed.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, type FormEvent } from 'react';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { CopyField } from '../ui/copy-field';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { roleLabel, roleOptions } from './role-options';

export function InviteForm({ workspaceId, canInviteOwners }: { workspaceId: string; canInviteOwners: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: () => {
        formRef.current?.reset();
        router.refresh();
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    invite.mutate({
      workspaceId,
      email: String(form.get('email') ?? ''),
      role: String(form.get('role') ?? 'member') as WorkspaceRole,
    });
  }

  const result = invite.data;
  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start" noValidate>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          required
          placeholder="teammate@example.com"
          error={fieldError(invite.error, 'email')}
        />
        <SelectField label="Role" name="role" defaultValue="member" options={roleOptions(canInviteOwners)} error={fieldError(invite.error, 'role')} />
        <Button type="submit" className="sm:mt-6" pending={invite.isPending} pendingLabel="Inviting…">
          Invite
        </Button>
      </form>
      {formError(invite.error) && <Alert>{formError(invite.error)}</Alert>}
      {result && !invite.isPending && (
        <div className="space-y-2 rounded-md bg-accent-50 p-4 ring-1 ring-inset ring-accent-100">
          <p className="text-sm text-accent-800" role="status">
            Invited <span className="font-medium">{result.invitation.email}</span> as {roleLabel(result.invitation.role).toLowerCase()}.{' '}
            {result.emailing ? 'We are also emailing them this link; you can share it yourself too.' : 'Send them this link:'}
          </p>
          <CopyField label="Invitation link" value={result.url} buttonLabel="Copy link" />
          <p className="text-xs text-slate-600">The link works once, only for that email address, and expires in 7 days.</p>
        </div>
      )}
    </div>
  );
}
