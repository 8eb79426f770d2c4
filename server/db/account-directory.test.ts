// The account directory (users, login attempts) is global but not public: each
// kind of transaction sees only the accounts it has a reason to see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../tenancy/accounts';
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
});
