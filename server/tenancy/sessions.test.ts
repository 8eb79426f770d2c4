// Server-side sessions: a session is live only while its row exists, is not
// revoked or expired and belongs to the token's user; sign-out ends it; "sign
// out everywhere" and a password change end the others; RLS keeps each user to
// their own sessions; and a removed member is refused on their next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInput } from '../domain-errors';
import { withUser } from '../db/with-workspace';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { authenticate } from './accounts';
import { changePassword, endSession, signOutEverywhere } from './account-settings';
import { activeSessionAccount, liveSessions, openSession, revokeSession } from './sessions';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
});
afterAll(async () => db.stop());

const lastSeen = async (id: string) =>
  (await db.owner.query<{ t: Date }>('SELECT last_seen_at AS t FROM user_sessions WHERE id = $1', [id])).rows[0]!.t.getTime();

describe('server-side sessions', () => {
  it('answers the account for a live session, and nothing for anyone else’s or a malformed one', async () => {
    const sid = await openSession(a.owner.id, { userAgent: 'Vitest', clientAddress: '192.0.2.1' });
    expect(await activeSessionAccount(sid, a.owner.id)).toEqual({
      id: a.owner.id,
      email: a.owner.email,
      name: a.owner.name,
      isOperator: false,
    });
    expect(await activeSessionAccount(sid, b.owner.id)).toBeNull();
    expect(await activeSessionAccount(undefined, a.owner.id)).toBeNull();
    expect(await activeSessionAccount('not-a-uuid', a.owner.id)).toBeNull();
    expect(await activeSessionAccount(sid, 42)).toBeNull();
  });

  it('ends a session on sign-out, and an expired one ends by itself', async () => {
    const sid = await openSession(a.owner.id, {});
    expect(await revokeSession(a.owner.id, sid)).toBe(true);
    expect(await activeSessionAccount(sid, a.owner.id)).toBeNull();
    expect(await revokeSession(a.owner.id, sid)).toBe(false);

    const old = await openSession(a.owner.id, {});
    await db.owner.query("UPDATE user_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [old]);
    expect(await activeSessionAccount(old, a.owner.id)).toBeNull();
  });

  it('prunes sessions that ended over 30 days ago when the user next signs in', async () => {
    const old = await openSession(a.owner.id, {});
    const recent = await openSession(a.owner.id, {});
    await db.owner.query("UPDATE user_sessions SET revoked_at = now() - interval '31 days' WHERE id = $1", [old]);
    await db.owner.query("UPDATE user_sessions SET revoked_at = now() - interval '1 day' WHERE id = $1", [recent]);
    await openSession(a.owner.id, {});
    const { rows } = await db.owner.query('SELECT id FROM user_sessions WHERE id = ANY($1::uuid[])', [[old, recent]]);
    expect(rows.map((r) => r.id)).toEqual([recent]);
  });

  it('writes last_seen_at at most once a minute', async () => {
    const sid = await openSession(a.member.id, {});
    const opened = await lastSeen(sid);
    await activeSessionAccount(sid, a.member.id);
    expect(await lastSeen(sid)).toBe(opened);
    await db.owner.query("UPDATE user_sessions SET last_seen_at = now() - interval '2 minutes' WHERE id = $1", [sid]);
    const stale = await lastSeen(sid);
    await activeSessionAccount(sid, a.member.id);
    const touched = await lastSeen(sid);
    expect(touched).toBeGreaterThan(stale + 60_000);
    await activeSessionAccount(sid, a.member.id);
    expect(await lastSeen(sid)).toBe(touched);
  });

  it("keeps each user to their own sessions (RLS), and refuses to end someone else's", async () => {
    const sid = await openSession(b.member.id, {});
    expect(await withUser(a.owner.id, (tx) => tx.userSession.count({ where: { id: sid } }))).toBe(0);
    expect((await liveSessions(a.owner.id)).map((s) => s.id)).not.toContain(sid);
    await expect(endSession({ userId: a.owner.id }, sid)).rejects.toThrow('Session not found');
    expect(await activeSessionAccount(sid, b.member.id)).not.toBeNull();
  });

  it('signs out everywhere, this session included', async () => {
    const one = await openSession(b.owner.id, {});
    const two = await openSession(b.owner.id, {});
    expect(await signOutEverywhere({ userId: b.owner.id, sessionId: one })).toBeGreaterThanOrEqual(2);
    expect(await activeSessionAccount(one, b.owner.id)).toBeNull();
    expect(await activeSessionAccount(two, b.owner.id)).toBeNull();
    expect(await liveSessions(b.owner.id)).toEqual([]);
  });

  it('changes the password only with the current one, ending every other session but this one', async () => {
    const here = await openSession(b.member.id, {});
    const elsewhere = await openSession(b.member.id, {});
    const refused = changePassword({ userId: b.member.id, sessionId: here }, { currentPassword: 'wrong one', newPassword: 'a brand new password' });
    await expect(refused).rejects.toBeInstanceOf(InvalidInput);
    await expect(refused).rejects.toMatchObject({ field: 'currentPassword' });
    expect(await activeSessionAccount(elsewhere, b.member.id)).not.toBeNull();

    const changed = await changePassword(
      { userId: b.member.id, sessionId: here },
      { currentPassword: PASSWORD, newPassword: 'a brand new password' },
    );
    expect(changed.otherSessionsEnded).toBeGreaterThanOrEqual(1);
    expect(await activeSessionAccount(here, b.member.id)).not.toBeNull();
    expect(await activeSessionAccount(elsewhere, b.member.id)).toBeNull();
    expect(await authenticate({ email: b.member.email, password: PASSWORD })).toBeNull();
    expect(await authenticate({ email: b.member.email, password: 'a brand new password' })).not.toBeNull();
  });

  it('refuses a removed member on their very next request', async () => {
    const memberCaller = createCaller(createContext(a.member));
    expect((await memberCaller.workspaces.bySlug({ slug: a.workspace.slug })).id).toBe(a.workspace.id);
    await createCaller(createContext(a.owner)).members.remove({ workspaceId: a.workspace.id, memberId: a.memberMembershipId });
    await expect(memberCaller.workspaces.bySlug({ slug: a.workspace.slug })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(memberCaller.workspaces.get({ workspaceId: a.workspace.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
