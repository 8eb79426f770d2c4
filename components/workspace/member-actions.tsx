'use client';
// Per-row controls of the members table: the role picker (changing your own role
// asks first, since it may take your powers away) and Remove with a confirm step.
import { useState } from 'react';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { SelectField } from '../ui/select-field';
import { roleLabel, roleOptions } from './role-options';
import type { Member } from './members-table';

export function MemberRolePicker(props: {
  member: Member;
  isYou: boolean;
  editable: boolean;
  canGrantOwner: boolean;
  pendingRole?: WorkspaceRole;
  onChange: (role: WorkspaceRole) => void;
}) {
  const [proposed, setProposed] = useState<WorkspaceRole>();
  if (!props.editable) return <span className="text-slate-700">{roleLabel(props.member.role)}</span>;
  const shown = proposed ?? props.pendingRole ?? props.member.role;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <SelectField
        label={`Role of ${props.member.name}`}
        hideLabel
        value={shown}
        options={roleOptions(props.canGrantOwner)}
        disabled={props.pendingRole !== undefined}
        aria-busy={props.pendingRole !== undefined || undefined}
        onChange={(e) => {
          const role = e.target.value as WorkspaceRole;
          if (props.isYou) setProposed(role);
          else props.onChange(role);
        }}
        className="w-32"
      />
      {proposed && (
        <span role="group" aria-label="Confirm your new role" className="flex items-center gap-2">
          <span className="text-xs text-slate-600">Change your own role?</span>
          <Button
            variant="primary"
            onClick={() => {
              props.onChange(proposed);
              setProposed(undefined);
            }}
          >
            Confirm
          </Button>
          <Button variant="ghost" onClick={() => setProposed(undefined)}>
            Cancel
          </Button>
        </span>
      )}
    </div>
  );
}

export function RemoveMemberButton({ member, pending, onRemove }: { member: Member; pending: boolean; onRemove: () => void }) {
  return (
    <ConfirmButton nowrap question={`Remove ${member.name}?`} confirmLabel="Remove" pending={pending} pendingLabel="Removing…" onConfirm={onRemove}>
      Remove
    </ConfirmButton>
  );
}
