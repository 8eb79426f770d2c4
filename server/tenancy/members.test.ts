import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, withWorkspace } from '../db/with-workspace';
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

  it('keeps an owner when two owners demote each other at the same moment', async () => {
    const first = await signUp({ email: 'first@pair.test', name: 'First', password: 'long enough pass' });
    const second = await signUp({ email: 'second@pair.test', name: 'Second', password: 'long enough pass' });
    const pair = await createWorkspace(first.id, { name: 'Pair' });
    const asFirst = { userId: first.id, workspaceId: pair.id, role: 'owner' as const };
    const { url } = await withWorkspace(pair.id, (tx) => inviteMember(tx, asFirst, { email: second.email, role: 'owner' }));
    await acceptInvitation(second, url.split('/invite/')[1]!);
    const members = await withWorkspace(pair.id, (tx) => membersOfWorkspace(tx, pair.id));
    const idOf = (userId: string) => members.find((m) => m.userId === userId)!.id;

    // First demotes second in a transaction held open; meanwhile second demotes first.
    const held = await db.owner.connect();
    try {
      await held.query('BEGIN');
      await held.query(`SELECT set_config('role', $1, true), set_config('app.workspace_id', $2, true)`, [APP_ROLE, pair.id]);
      await held.query(`UPDATE memberships SET role = 'member' WHERE id = $1`, [idOf(second.id)]);
      const secondDemotesFirst = withWorkspace(pair.id, (tx) =>
        changeMemberRole(tx, { userId: second.id, workspaceId: pair.id, role: 'owner' }, idOf(first.id), 'member'),
      );
      const settled = secondDemotesFirst.then(
        () => 'committed',
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await held.query('COMMIT');
      expect(await settled).toBeInstanceOf(Conflict);
    } finally {
      held.release();
    }
    const after = await withWorkspace(pair.id, (tx) => membersOfWorkspace(tx, pair.id));
    expect(after.filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([first.id]);
  });
});
