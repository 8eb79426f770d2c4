'use client';
// Per-row controls of the members table. The role picker only proposes: choosing
// a role (by mouse or arrow keys) shows Save and Cancel, nothing is sent until
// Save, and focus goes back to the picker as it saves. Your own role
// gets a warning, and a sole owner's picker is disabled with the reason shown.
// Remove asks first.
import { useId, useRef, useState } from 'react';
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
  /** Why this picker cannot be used (e.g. the sole owner's own role); shown beside it. */
  lockedReason?: string;
  pendingRole?: WorkspaceRole;
  onSave: (role: WorkspaceRole) => void;
}) {
  const [draft, setDraft] = useState<WorkspaceRole>();
  const selectRef = useRef<HTMLSelectElement>(null);
  const reasonId = useId();
  const saving = props.pendingRole !== undefined;

  if (!props.editable) return <span className="text-slate-700">{roleLabel(props.member.role)}</span>;
  const shown = draft ?? props.pendingRole ?? props.member.role;
  const cancel = () => {
    setDraft(undefined);
    selectRef.current?.focus();
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <SelectField
        ref={selectRef}
        label={`Role of ${props.member.name}`}
        hideLabel
        value={shown}
        options={roleOptions(props.canGrantOwner)}
        // Not disabled while saving: that would drop the focus the keyboard user left here.
        disabled={props.lockedReason !== undefined}
        aria-busy={saving || undefined}
        aria-describedby={props.lockedReason ? reasonId : undefined}
        onChange={(e) => {
          const role = e.target.value as WorkspaceRole;
          setDraft(role === props.member.role ? undefined : role);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && draft) cancel();
        }}
        className="w-32"
      />
      {props.lockedReason && (
        <span id={reasonId} className="text-xs text-slate-600">
          {props.lockedReason}
        </span>
      )}
      {draft && (
        <span role="group" aria-label={`Save or cancel the change for ${props.member.name}`} className="flex flex-wrap items-center gap-2">
          {props.isYou && <span className="text-xs text-slate-600">This is your own role: you may lose access to member management.</span>}
          <Button
            onClick={() => {
              props.onSave(draft);
              setDraft(undefined);
              selectRef.current?.focus();
            }}
          >
            Save
          </Button>
          <Button variant="ghost" onClick={cancel}>
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
