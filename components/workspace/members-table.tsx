'use client';
// The member list. Managers get a role picker and a remove button per row;
// everyone else sees the roles read-only.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField } from '../ui/select-field';
import { roleOptions } from './role-options';

type Member = { id: string; userId: string; name: string; email: string; role: WorkspaceRole; joinedAt: Date };

export function MembersTable(props: {
  workspaceId: string;
  members: Member[];
  currentUserId: string;
  canManage: boolean;
  canManageOwners: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string>();
  const onError = (e: { message: string }) => setError(e.message);
  const onSuccess = () => {
    setError(undefined);
    router.refresh();
  };
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onError, onSuccess }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onError, onSuccess }));
  const options = roleOptions(props.canManageOwners);

  return (
    <div>
      {error && (
        <div className="mb-3">
          <Alert>{error}</Alert>
        </div>
      )}
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Member</th>
              <th scope="col" className="py-2 pr-4 font-medium">Role</th>
              <th scope="col" className="hidden py-2 pr-4 font-medium sm:table-cell">Joined</th>
              {props.canManage && <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {props.members.map((m) => {
              const editable = props.canManage && (m.role !== 'owner' || props.canManageOwners) && m.userId !== props.currentUserId;
              return (
                <tr key={m.id}>
                  <td className="py-3 pr-4">
                    <p className="font-medium text-slate-900">
                      {m.name} {m.userId === props.currentUserId && <span className="text-xs font-normal text-slate-500">(you)</span>}
                    </p>
                    <p className="text-slate-500">{m.email}</p>
                  </td>
                  <td className="py-3 pr-4">
                    {editable ? (
                      <SelectField
                        label={`Role of ${m.name}`}
                        hideLabel
                        value={m.role}
                        options={options}
                        disabled={changeRole.isPending}
                        onChange={(e) =>
                          changeRole.mutate({
                            workspaceId: props.workspaceId,
                            memberId: m.id,
                            role: e.target.value as WorkspaceRole,
                          })
                        }
                        className="w-32"
                      />
                    ) : (
                      <span className="capitalize text-slate-700">{m.role}</span>
                    )}
                  </td>
                  <td className="hidden py-3 pr-4 text-slate-500 sm:table-cell">
                    {m.joinedAt.toLocaleDateString('en', { dateStyle: 'medium' })}
                  </td>
                  {props.canManage && (
                    <td className="py-3 text-right">
                      {editable && (
                        <Button
                          variant="secondary"
                          pending={remove.isPending && remove.variables?.memberId === m.id}
                          onClick={() => {
                            if (window.confirm(`Remove ${m.name} from this workspace?`)) {
                              remove.mutate({ workspaceId: props.workspaceId, memberId: m.id });
                            }
                          }}
                        >
                          Remove
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
