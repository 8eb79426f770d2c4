import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { signUp } from './accounts';
import { acceptInvitation, inviteMember, previewInvitation, resendInvitation, revokeInvitation } from './invitations';
import { withWorkspace } from '../db/with-workspace';
import { createWorkspace, workspacesOfUser } from './workspaces';
import type { WorkspaceRole } from './roles';

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
    // The member who used the link is sent to the workspace; anyone else just sees the status.
    expect((await previewInvitation(token, guest.id)).memberSlug).toBe(ws.slug);
    expect((await previewInvitation(token, owner.id)).memberSlug).toBe(ws.slug);
    expect((await previewInvitation(token)).memberSlug).toBeNull();
  });
});

describe('replacing and resending invitations', () => {
  let n = 0;
  async function setUp() {
    n += 1;
    const owner = await signUp({ email: `owner${n}@replace.test`, name: 'Owner', password: 'correct horse battery' });
    const admin = await signUp({ email: `admin${n}@replace.test`, name: 'Admin', password: 'correct horse battery' });
    const ws = await createWorkspace(owner.id, { name: `Replace ${n}` });
    const asOwner = { userId: owner.id, workspaceId: ws.id, role: 'owner' as const };
    const { url } = await withWorkspace(ws.id, (tx) => inviteMember(tx, asOwner, { email: admin.email, role: 'admin' }));
    await acceptInvitation(admin, url.split('/invite/')[1]!);
    const asAdmin = { userId: admin.id, workspaceId: ws.id, role: 'admin' as const };
    const invite = (actor: typeof asOwner | typeof asAdmin, email: string, role: WorkspaceRole, replaceExisting?: boolean) =>
      withWorkspace(ws.id, (tx) => inviteMember(tx, actor, { email, role, replaceExisting }));
    const audit = () =>
      withWorkspace(ws.id, (tx) =>
        tx.auditEvent.findMany({ where: { action: 'invitation.revoked' }, orderBy: { createdAt: 'asc' }, select: { target: true, metadata: true } }),
      );
    const pending = () => withWorkspace(ws.id, (tx) => tx.invitation.findMany({ where: { revokedAt: null, acceptedAt: null }, select: { id: true, email: true, role: true } }));
    return { ws, asOwner, asAdmin, invite, audit, pending };
  }
  const tokenOf = (url: string) => url.split('/invite/')[1]!;

  it('asks before replacing a pending invitation, then revokes the old link and audits why', async () => {
    const { asOwner, invite, audit, pending } = await setUp();
    const first = await invite(asOwner, 'new@replace.test', 'member');
    await expect(invite(asOwner, 'new@replace.test', 'viewer')).rejects.toThrow(/already has a pending invitation/);
    expect((await previewInvitation(tokenOf(first.url))).status).toBe('pending');

    const second = await invite(asOwner, 'New@replace.test', 'viewer', true);
    expect((await previewInvitation(tokenOf(first.url))).status).toBe('revoked');
    expect(await previewInvitation(tokenOf(second.url))).toMatchObject({ status: 'pending', role: 'viewer' });
    expect(await pending()).toEqual([expect.objectContaining({ email: 'new@replace.test', role: 'viewer' })]);
    expect(await audit()).toEqual([{ target: 'new@replace.test', metadata: { role: 'member', reason: 'replaced' } }]);
  });

  it('refuses an admin replacing an owner invitation, which stays valid and unaudited', async () => {
    const { asOwner, asAdmin, invite, audit } = await setUp();
    const ownerInvite = await invite(asOwner, 'boss@replace.test', 'owner');
    await expect(invite(asAdmin, 'boss@replace.test', 'member', true)).rejects.toThrow('Only owners can revoke or replace this invitation');
    expect(await previewInvitation(tokenOf(ownerInvite.url))).toMatchObject({ status: 'pending', role: 'owner' });
    expect(await audit()).toEqual([]);
  });

  it('resends with a fresh link: the old one stops working, the role stays, the audit says resent', async () => {
    const { ws, asOwner, asAdmin, invite, audit, pending } = await setUp();
    const first = await invite(asOwner, 'again@replace.test', 'viewer');
    const resent = await withWorkspace(ws.id, (tx) => resendInvitation(tx, asAdmin, first.invitation.id));
    expect(resent.url).not.toBe(first.url);
    expect(resent.invitation).toMatchObject({ email: 'again@replace.test', role: 'viewer', expired: false });
    expect((await previewInvitation(tokenOf(first.url))).status).toBe('revoked');
    expect((await previewInvitation(tokenOf(resent.url))).status).toBe('pending');
    expect(await pending()).toEqual([expect.objectContaining({ id: resent.invitation.id })]);
    expect(await audit()).toEqual([{ target: 'again@replace.test', metadata: { role: 'viewer', reason: 'resent' } }]);
    // The old id is gone: resending or revoking it again finds nothing.
    await expect(withWorkspace(ws.id, (tx) => resendInvitation(tx, asAdmin, first.invitation.id))).rejects.toThrow('Invitation not found');

    const ownerInvite = await invite(asOwner, 'boss@replace.test', 'owner');
    await expect(withWorkspace(ws.id, (tx) => resendInvitation(tx, asAdmin, ownerInvite.invitation.id))).rejects.toThrow(
      'Only owners can revoke or replace this invitation',
    );
    await withWorkspace(ws.id, (tx) => revokeInvitation(tx, asOwner, ownerInvite.invitation.id));
    expect((await audit()).at(-1)).toEqual({ target: 'boss@replace.test', metadata: { role: 'owner', reason: 'revoked' } });
  });
});
