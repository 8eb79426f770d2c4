// Role choices for pickers: the owner role only for those allowed to grant it.
import { WORKSPACE_ROLES } from '@/server/tenancy/roles';

const LABELS = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' } as const;

export function roleOptions(includeOwner: boolean) {
  return WORKSPACE_ROLES.filter((r) => includeOwner || r !== 'owner').map((r) => ({ value: r, label: LABELS[r] }));
}
