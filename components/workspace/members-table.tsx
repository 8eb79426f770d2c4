'use client';
// The member list. With members:write a row gets a role picker (owner offered only
// with owners:write) and a Remove button; without it, roles are read-only. A sole
// owner's own picker is disabled with the reason; server refusals are announced
// above the table, and what was done is confirmed in a toast.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { WorkspaceRole } from '@/server/tenancy/roles';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { useToast } from '../ui/toast';
import { MemberRolePicker, RemoveMemberButton } from './member-actions';
import { roleLabel, SOLE_OWNER_REASON } from './role-options';

export type Member = { id: string; userId: string; name: string; email: string; role: WorkspaceRole; joinedAt: Date };

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
  const toast = useToast();
  const nameOf = (memberId: string) => props.members.find((m) => m.id === memberId)?.name ?? 'The member';
  // Until the refreshed list arrives, a row keeps showing the change it is making.
  const [refreshingRoles, startRolesRefresh] = useTransition();
  const [refreshingRemoval, startRemovalRefresh] = useTransition();
  const handlers = <Input extends { memberId: string }>(startRefresh: (callback: () => void) => void, done: (input: Input) => string) => ({
    onError: (e: { message: string }) => setError(e.message),
    onSuccess: (_result: unknown, input: Input) => {
      setError(undefined);
      toast(done(input));
      startRefresh(() => router.refresh());
    },
  });
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions(
      handlers(startRolesRefresh, (input: { memberId: string; role: WorkspaceRole }) => `${nameOf(input.memberId)} is now ${roleLabel(input.role).toLowerCase()}`),
    ),
  );
  const remove = useMutation(trpc.members.remove.mutationOptions(handlers(startRemovalRefresh, (input) => `Removed ${nameOf(input.memberId)}`)));
  const soleOwner = props.members.filter((m) => m.role === 'owner').length === 1;

  if (props.members.length === 0) return <EmptyState title="No members yet" />;
  return (
    <div className="space-y-3">
      {error && <Alert>{error}</Alert>}
      <div className="-mx-5 sm:-mx-6 sm:overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead className="hidden border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 sm:table-header-group">
            <tr>
              <th scope="col" className="py-2 pl-6 pr-4 font-medium">Name</th>
              <th scope="col" className="hidden py-2 pr-4 font-medium md:table-cell">Email</th>
              <th scope="col" className="py-2 pr-4 font-medium">Role</th>
              <th scope="col" className="hidden py-2 pr-4 font-medium sm:table-cell">Joined</th>
              {props.canManage && (
                <th scope="col" className="py-2 pr-6 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {props.members.map((m) => {
              const isYou = m.userId === props.currentUserId;
              const manageable = props.canManage && (m.role !== 'owner' || props.canManageOwners);
              return (
                <tr key={m.id} className="flex flex-wrap items-center gap-x-3 gap-y-2 px-5 py-3 sm:table-row sm:p-0">
                  <td className="basis-full sm:py-3 sm:pl-6 sm:pr-4">
                    <p className="font-medium text-slate-900">
                      {m.name} {isYou && <span className="text-xs font-normal text-slate-500">(you)</span>}
                    </p>
                    <p className="break-all text-slate-600 md:hidden">{m.email}</p>
                  </td>
                  <td className="hidden break-all py-3 pr-4 text-slate-600 md:table-cell">{m.email}</td>
                  <td className="sm:py-3 sm:pr-4">
                    <MemberRolePicker
                      member={m}
                      isYou={isYou}
                      editable={manageable}
                      canGrantOwner={props.canManageOwners}
                      lockedReason={isYou && soleOwner && m.role === 'owner' ? SOLE_OWNER_REASON : undefined}
                      pendingRole={(changeRole.isPending || refreshingRoles) && changeRole.variables?.memberId === m.id ? changeRole.variables.role : undefined}
                      onSave={(role) => changeRole.mutate({ workspaceId: props.workspaceId, memberId: m.id, role })}
                    />
                  </td>
                  <td className="hidden whitespace-nowrap py-3 pr-4 text-slate-500 sm:table-cell">
                    <LocalTime date={m.joinedAt} />
                  </td>
                  {props.canManage && (
                    <td className="ml-auto text-right sm:ml-0 sm:py-3 sm:pr-6">
                      {manageable && !isYou && (
                        <RemoveMemberButton
                          member={m}
                          pending={(remove.isPending || refreshingRemoval) && remove.variables?.memberId === m.id}
                          onRemove={() => remove.mutate({ workspaceId: props.workspaceId, memberId: m.id })}
                        />
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
