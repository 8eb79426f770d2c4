// The account directory (users, login attempts) is global but not public: each
// kind of transaction sees only the accounts it has a reason to see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../tenancy/accounts';
import { changePassword } from '../tenancy/account-settings';
import { openSession } from '../tenancy/sessions';
import { requestSignUp } from '../tenancy/sign-up-requests';
import { setRuntimeEnv } from '../env';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { withAccounts, withUser, withWorkspace, withoutTenant, type Tx } from './with-workspace';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;

const emailsSorted = (rows: { email: string }[]) => rows.map((r) => r.email).sort();

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  await authenticate({ email: b.owner.email, password: 'wrong password', ip: '203.0.113.9' });
  await openSession(a.owner.id, { userAgent: 'Directory test' });
  await openSession(b.owner.id, { userAgent: 'Directory test' });
  await changePassword({ userId: a.owner.id }, { currentPassword: 'correct horse battery staple', newPassword: 'another long password' });
  setRuntimeEnv({ SMTP_URL: 'smtp://127.0.0.1:9' }); // unreachable: the link row is written, the mail fails quietly
  await requestSignUp({ email: 'pending@directory.test', name: 'Pending', password: 'pending password' }, '203.0.113.10');
  setRuntimeEnv({ SMTP_URL: '' });
});
afterAll(async () => db.stop());

describe('account directory visibility', () => {
  it('shows a workspace the accounts of its own members only', async () => {
    const seen = await withWorkspace(a.workspace.id, (tx) => tx.user.findMany({ select: { email: true } }));
    expect(emailsSorted(seen)).toEqual([a.member.email, a.owner.email].sort());
  });

  it("shows a signed-in user their own account only, not their co-members'", async () => {
    const seen = await withUser(a.member.id, (tx) => tx.user.findMany({ select: { email: true } }));
    expect(emailsSorted(seen)).toEqual([a.member.email]);
  });

  it('shows no accounts and no login attempts without a context', async () => {
    const [users, attempts] = await withoutTenant(async (tx) => [await tx.user.count(), await tx.loginAttempt.count()]);
    expect({ users, attempts }).toEqual({ users: 0, attempts: 0 });
  });

  it('keeps login attempts out of workspace transactions', async () => {
    expect(await withWorkspace(b.workspace.id, (tx) => tx.loginAttempt.count())).toBe(0);
    expect(await withAccounts((tx) => tx.loginAttempt.count({ where: { email: b.owner.email } }))).toBe(1);
  });

  it('shows account work the whole directory', async () => {
    const all = await withAccounts((tx) => tx.user.findMany({ select: { email: true } }));
    expect(emailsSorted(all)).toEqual(expect.arrayContaining([a.owner.email, a.member.email, b.owner.email, b.member.email]));
  });

  it('never lets the app role read password hashes directly', async () => {
    await expect(withAccounts((tx) => tx.user.findFirst({ select: { passwordHash: true } }))).rejects.toThrow(/permission denied/);
    await expect(
      withWorkspace(a.workspace.id, (tx) => tx.membership.findMany({ include: { user: true } })),
    ).rejects.toThrow(/permission denied/);
  });

  it('hands out credentials for sign-in only inside account work', async () => {
    const credentials = (tx: Tx) => tx.$queryRaw<{ id: string }[]>`SELECT id FROM account_credentials(${a.owner.email})`;
    expect(await withAccounts(credentials)).toEqual([{ id: a.owner.id }]);
    expect(await withWorkspace(a.workspace.id, credentials)).toEqual([]);
    expect(await withUser(a.owner.id, credentials)).toEqual([]);
    expect(await withoutTenant(credentials)).toEqual([]);
  });

  it("refuses a workspace transaction that writes another workspace's user", async () => {
    const changed = await withWorkspace(a.workspace.id, (tx) =>
      tx.user.updateMany({ where: { id: b.owner.id }, data: { name: 'Mallory' } }),
    );
    expect(changed.count).toBe(0);
    await expect(
      withWorkspace(a.workspace.id, (tx) =>
        tx.user.create({ data: { email: 'smuggled@probe.test', name: 'Smuggled', passwordHash: 'x' } }),
      ),
    ).rejects.toThrow();
    const { rows } = await db.owner.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [b.owner.id]);
    expect(rows[0]?.name).toBe(b.owner.name);
  });

  it('shows sessions and account events to their own user and to account work only; links to account work only', async () => {
    const counts = (tx: Tx) =>
      Promise.all([tx.userSession.count(), tx.accountEvent.count(), tx.accountToken.count()]).then(([sessions, events, tokens]) => ({
        sessions,
        events,
        tokens,
      }));
    expect(await withUser(a.owner.id, counts)).toEqual({ sessions: 1, events: 1, tokens: 0 });
    expect(await withUser(b.owner.id, counts)).toEqual({ sessions: 1, events: 0, tokens: 0 });
    expect(await withWorkspace(a.workspace.id, counts)).toEqual({ sessions: 0, events: 0, tokens: 0 });
    expect(await withoutTenant(counts)).toEqual({ sessions: 0, events: 0, tokens: 0 });
    expect(await withAccounts(counts)).toEqual({ sessions: 2, events: 1, tokens: 1 });
  });

  it("refuses a user's transaction that opens a session for someone else", async () => {
    await expect(
      withUser(a.owner.id, (tx) =>
        tx.userSession.create({ data: { userId: b.owner.id, expiresAt: new Date(Date.now() + 60_000) }, select: { id: true } }),
      ),
    ).rejects.toThrow();
  });
});
