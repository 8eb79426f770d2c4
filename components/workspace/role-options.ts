// Role names for people, and the choices for role pickers: the owner role is
// offered only to those allowed to grant it (owners:write).
import { WORKSPACE_ROLES, type WorkspaceRole } from '@/server/tenancy/roles';

const LABELS: Record<WorkspaceRole, string> = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' };

export function roleLabel(role: WorkspaceRole): string {
  return LABELS[role];
}

export function roleOptions(includeOwner: boolean) {
  return WORKSPACE_ROLES.filter((r) => includeOwner || r !== 'owner').map((r) => ({ value: r, label: LABELS[r] }));
}

/** Why a workspace's only owner can neither change their own role nor leave. */
export const SOLE_OWNER_REASON = 'You are the only owner. Make someone else an owner first.';
