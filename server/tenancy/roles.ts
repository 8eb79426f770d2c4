// Roles and what they may do. Procedures require scopes by name (scopedProcedure('members:write')),
// never by comparing role strings; this table is the only place roles map to power.

export const WORKSPACE_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export const SCOPES = [
  'workspace:read',
  'workspace:update',
  'workspace:delete',
  'members:read',
  'members:write',
  'owners:write',
  'secrets:read',
  'secrets:write',
  'agents:read',
  'agents:write',
  'tools:read',
  'tools:write',
  'providers:read',
  'providers:write',
  'usage:read',
  'runs:read',
  'runs:write',
  'knowledge:read',
  'knowledge:write',
  'memory:read',
  'memory:write',
  'audit:read',
  'data:export',
  'approvals:decide',
  'budgets:write',
  'policies:read',
  'policies:write',
] as const;
export type Scope = (typeof SCOPES)[number];

// Everyone sees which secrets exist (names and dates, never values); only managers change them.
// Members build agents and prompts; custom tools send workspace secrets to outside
// hosts, so only managers define them. Everyone sees the model providers, routing
// and usage; only managers change providers (they cost money).
// Everyone sees runs; members and above start and cancel them.
// Everyone reads and searches knowledge bases; members and above add and remove documents.
// Everyone sees the workspace policy and may test text against it; only managers change it.
const viewer: Scope[] = ['workspace:read', 'members:read', 'secrets:read', 'agents:read', 'tools:read', 'providers:read', 'usage:read', 'runs:read', 'knowledge:read', 'policies:read'];
// End users' conversations and memories are their personal data: members browse
// them (they run the agents anyway), viewers do not; only managers delete them.
const member: Scope[] = [...viewer, 'agents:write', 'runs:write', 'knowledge:write', 'memory:read'];
// The audit log (and its CSV) is for managers; exporting everything the workspace
// holds, like deleting it, is for owners only. Everyone sees the approvals inbox
// (runs:read); only managers approve or reject a waiting step.
// Budgets are read with usage; only managers set them (they decide what may be spent).
// Everyone reads the policy in force; only managers change it.
const admin: Scope[] = [
  ...member, 'workspace:update', 'members:write', 'secrets:write', 'tools:write', 'providers:write', 'memory:write', 'audit:read', 'approvals:decide',
  'budgets:write', 'policies:write',
];
const owner: Scope[] = [...admin, 'workspace:delete', 'owners:write', 'data:export'];

const ROLE_SCOPES: Record<WorkspaceRole, ReadonlySet<Scope>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  member: new Set(member),
  viewer: new Set(viewer),
};

export function roleHasScope(role: WorkspaceRole, scope: Scope): boolean {
  return ROLE_SCOPES[role].has(scope);
}

export function scopesOf(role: WorkspaceRole): Scope[] {
  return [...ROLE_SCOPES[role]];
}

/** Granting or taking away the owner role needs owners:write; other roles need members:write. */
export function scopeToManage(role: WorkspaceRole): Scope {
  return role === 'owner' ? 'owners:write' : 'members:write';
}
