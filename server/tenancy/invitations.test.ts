import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { signUp } from './accounts';
import { acceptInvitation, inviteMember, previewInvitation } from './invitations';
import { withWorkspace } from '../db/with-workspace';
import { createWorkspace, workspacesOfUser } from './workspaces';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.stop());

describe('invitations', () => {
  it('lets the invited account join once, with the invited role', async () => {
    const owner = await signUp({ email: 'owner@acme.test', name: 'Owner', password: 'correct horse battery' });
    const guest = await signUp({ email: 'guest@acme.test', name: 'Guest', password: 'correct horse battery' });
    const ws = await createWorkspace(owner.id, { name: 'Acme' });
    const actor = { userId: owner.id, workspaceId: ws.id, role: 'owner' as const };
    const { url } = await withWorkspace(ws.id, (tx) => inviteMember(tx, actor, { email: 'Guest@acme.test', role: 'viewer' }));
    const token = url.split('/invite/')[1]!;
    expect(await previewInvitation(token)).toMatchObject({ workspaceName: 'Acme', status: 'pending', role: 'viewer' });
    const joined = await acceptInvitation(guest, token);
    expect(joined).toMatchObject({ id: ws.id, role: 'viewer' });
    expect(await workspacesOfUser(guest.id)).toEqual([{ id: ws.id, name: 'Acme', slug: ws.slug, role: 'viewer' }]);
    await expect(acceptInvitation(guest, token)).rejects.toThrow(/already been used/);
    expect((await previewInvitation(token)).status).toBe('accepted');
  });
});
