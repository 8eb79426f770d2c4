'use client';
// Invites someone by email and shows the invitation link to pass on.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField, inputClass } from '../ui/text-field';
import { roleOptions } from './role-options';

export function InviteForm({ workspaceId, canInviteOwners }: { workspaceId: string; canInviteOwners: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [copied, setCopied] = useState(false);
  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: () => {
        setCopied(false);
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
      role: String(form.get('role') ?? 'member') as 'member',
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start" noValidate>
        <TextField label="Email" name="email" type="email" required placeholder="teammate@example.com" error={fieldError(invite.error, 'email')} />
        <SelectField label="Role" name="role" defaultValue="member" options={roleOptions(canInviteOwners)} error={fieldError(invite.error, 'role')} />
        <Button type="submit" className="sm:mt-6" pending={invite.isPending} pendingLabel="Inviting…">
          Invite
        </Button>
      </form>
      {formError(invite.error) && <Alert>{formError(invite.error)}</Alert>}
      {invite.data && (
        <div className="space-y-2 rounded-md bg-accent-50 p-3 ring-1 ring-accent-100">
          <p className="text-sm text-accent-700" role="status">
            Invitation created for {invite.data.invitation.email}
            {invite.data.emailed ? ' and emailed.' : '. Send them this link:'}
          </p>
          <div className="flex gap-2">
            <label htmlFor="invite-link" className="sr-only">
              Invitation link
            </label>
            <input id="invite-link" readOnly value={invite.data.url} className={inputClass} onFocus={(e) => e.target.select()} />
            <Button
              type="button"
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(invite.data.url).catch(() => {});
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy link'}
            </Button>
          </div>
          <p className="text-xs text-slate-600">The link works once and expires in 7 days.</p>
        </div>
      )}
    </div>
  );
}
