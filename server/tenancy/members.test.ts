import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { Conflict, Forbidden, NotFound } from '../domain-errors';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { signUp } from './accounts';
import { acceptInvitation, inviteMember } from './invitations';
import { changeMemberRole, leaveWorkspace, membersOfWorkspace, removeMember, type Actor } from './members';
import type { WorkspaceRole } from './roles';
import { createWorkspace } from './workspaces';

let db: TestDatabase;
let workspaceId: string;
const users: Record<string, { id: string; email: string }> = {};

function actor(name: string, role: WorkspaceRole): Actor {
  return { userId: users[name]!.id, workspaceId, role };
}
async function membershipIdOf(name: string) {
  const members = await withWorkspace(workspaceId, (tx) => membersOfWorkspace(tx, workspaceId));
  return members.find((m) => m.userId === users[name]!.id)!.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  for (const name of ['owner', 'admin', 'viewer']) {
    users[name] = await signUp({ email: `${name}@team.test`, name, password: 'long enough pass' });
  }
  workspaceId = (await createWorkspace(users.owner!.id, { name: 'Team' })).id;
  for (const [name, role] of [['admin', 'admin'], ['viewer', 'viewer']] as const) {
    const { url } = await withWorkspace(workspaceId, (tx) =>
      inviteMember(tx, actor('owner', 'owner'), { email: users[name]!.email, role }),
    );
    await acceptInvitation(users[name]!, url.split('/invite/')[1]!);
  }
});
afterAll(async () => db.stop());

describe('members', () => {
  it('lists members with their roles', async () => {
    const members = await withWorkspace(workspaceId, (tx) => membersOfWorkspace(tx, workspaceId));
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ['owner@team.test', 'owner'],
      ['admin@team.test', 'admin'],
      ['viewer@team.test', 'viewer'],
    ]);
  });

  it('lets an admin change a viewer but not make an owner', async () => {
    const viewerId = await membershipIdOf('viewer');
    await withWorkspace(workspaceId, (tx) => changeMemberRole(tx, actor('admin', 'admin'), viewerId, 'member'));
    await expect(
      withWorkspace(workspaceId, (tx) => changeMemberRole(tx, actor('admin', 'admin'), viewerId, 'owner')),
    ).rejects.toBeInstanceOf(Forbidden);
  });

  it('keeps at least one owner', async () => {
    const ownerId = await membershipIdOf('owner');
    await expect(
      withWorkspace(workspaceId, (tx) => changeMemberRole(tx, actor('owner', 'owner'), ownerId, 'admin')),
    ).rejects.toBeInstanceOf(Conflict);
    await expect(withWorkspace(workspaceId, (tx) => leaveWorkspace(tx, actor('owner', 'owner')))).rejects.toBeInstanceOf(
      Conflict,
    );
  });

  it('does not let an admin remove an owner', async () => {
    const ownerId = await membershipIdOf('owner');
    await expect(
      withWorkspace(workspaceId, (tx) => removeMember(tx, actor('admin', 'admin'), ownerId)),
    ).rejects.toBeInstanceOf(Forbidden);
  });

  it('answers NotFound for an id that is not a member here', async () => {
    await expect(
      withWorkspace(workspaceId, (tx) =>
        removeMember(tx, actor('owner', 'owner'), '00000000-0000-4000-8000-000000000000'),
      ),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('lets a member leave, and records it in the audit log', async () => {
    await withWorkspace(workspaceId, (tx) => leaveWorkspace(tx, actor('viewer', 'member')));
    const members = await withWorkspace(workspaceId, (tx) => membersOfWorkspace(tx, workspaceId));
    expect(members.map((m) => m.email)).not.toContain('viewer@team.test');
    const { rows } = await db.owner.query(
      "SELECT action FROM audit_events WHERE workspace_id = $1 AND action = 'member.left'",
      [workspaceId],
    );
    expect(rows).toHaveLength(1);
  });
});
