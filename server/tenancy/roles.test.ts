import { describe, expect, it } from 'vitest';
import { roleHasScope, scopesOf, scopeToManage, WORKSPACE_ROLES } from './roles';

describe('roles', () => {
  it('gives each role at least the powers of the role below it', () => {
    const [owner, admin, member, viewer] = WORKSPACE_ROLES.map((r) => new Set(scopesOf(r)));
    for (const s of viewer!) expect(member!.has(s)).toBe(true);
    for (const s of member!) expect(admin!.has(s)).toBe(true);
    for (const s of admin!) expect(owner!.has(s)).toBe(true);
  });

  it('lets only admins and owners manage members and settings', () => {
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'members:write'))).toEqual(['owner', 'admin']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'workspace:update'))).toEqual(['owner', 'admin']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'workspace:delete'))).toEqual(['owner']);
  });

  it('lets every role list secret names but only admins and owners change secrets', () => {
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'secrets:read'))).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'secrets:write'))).toEqual(['owner', 'admin']);
  });

  it('lets every role read agents and tools, members edit agents and prompts, and only admins and owners define tools', () => {
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'agents:read'))).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'agents:write'))).toEqual(['owner', 'admin', 'member']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'tools:read'))).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'tools:write'))).toEqual(['owner', 'admin']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'approvals:decide'))).toEqual(['owner', 'admin']);
  });

  it('lets admins and owners read the audit log, and only owners export the workspace', () => {
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'audit:read'))).toEqual(['owner', 'admin']);
    expect(WORKSPACE_ROLES.filter((r) => roleHasScope(r, 'data:export'))).toEqual(['owner']);
  });

  it('needs owners:write to grant or take away ownership', () => {
    expect(scopeToManage('owner')).toBe('owners:write');
    expect(scopeToManage('viewer')).toBe('members:write');
    expect(roleHasScope('admin', 'owners:write')).toBe(false);
  });
});
