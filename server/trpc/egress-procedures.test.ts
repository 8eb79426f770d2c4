// The egress procedures as clients call them: viewers read the allow-list, admins
// change it, bad entries get a 400 with the reason; the operator lists every
// workspace with its private-egress grant and changes it (audited in the
// workspace), and to anyone else those procedures do not exist.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { signUp } from '../tenancy/accounts';
import { acceptInvitation, inviteMember } from '../tenancy/invitations';
import { APP_ROLE } from '../db/with-workspace';
import { quoteIdent, tenantTables } from '../testing/tenant-tables';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { createContext } from './context';
import { createCaller } from './root';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let owner: ReturnType<typeof createCaller>;
let viewer: ReturnType<typeof createCaller>;
let operator: ReturnType<typeof createCaller>;

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e)));

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  owner = createCaller(createContext(a.owner));
  const account = await signUp({ email: 'viewer-extra@alpha.test', name: 'alpha viewer', password: 'correct horse battery staple' });
  const actor = { userId: a.owner.id, workspaceId: a.workspace.id, role: 'owner' as const };
  const { url } = await withWorkspace(a.workspace.id, (tx) => inviteMember(tx, actor, { email: account.email, role: 'viewer' }));
  await acceptInvitation(account, url.split('/invite/')[1]!);
  viewer = createCaller(createContext(account));
  const op = (await db.owner.query(`SELECT id, email, name FROM users WHERE is_operator LIMIT 1`)).rows[0];
  operator = createCaller(createContext({ id: op.id, email: op.email, name: op.name, isOperator: true }));
});
afterAll(async () => db?.stop());

describe('egress allow-list procedures', () => {
  it('let a viewer read the list but not change it', async () => {
    const list = await viewer.egress.allowList({ workspaceId: a.workspace.id });
    expect(list).toEqual({ hosts: [expect.objectContaining({ pattern: 'api.alpha.example' })], allowPrivateAddresses: false });
    expect(await codeOf(viewer.egress.allowHost({ workspaceId: a.workspace.id, pattern: 'api.example.com' }))).toBe('FORBIDDEN: Your role does not allow this');
    expect(await codeOf(viewer.egress.removeHost({ workspaceId: a.workspace.id, hostId: a.allowedHost.id }))).toBe('FORBIDDEN: Your role does not allow this');
  });

  it('let an owner add and remove entries, answering bad ones with a 4xx and the reason', async () => {
    const added = await owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: '*.Weather.example', note: 'forecasts' });
    expect(added).toMatchObject({ pattern: '*.weather.example', note: 'forecasts' });
    expect(await codeOf(owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: '*.weather.example' }))).toBe(
      'CONFLICT: *.weather.example is already on the allow-list',
    );
    expect(await codeOf(owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: 'https://x.example/path' }))).toMatch(/^BAD_REQUEST: Enter a host only/);
    expect(await codeOf(owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: '192.168.1.10' }))).toMatch(
      /^BAD_REQUEST: 192\.168\.1\.10 is a private address .*only the platform operator/,
    );
    expect(await codeOf(owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: 'x'.repeat(400) }))).toMatch(/^BAD_REQUEST/);
    expect(await codeOf(owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: 'ok.example', note: 'a\u0000b' }))).toMatch(/^BAD_REQUEST: [^]*Note cannot contain a NUL character/);
    expect(await codeOf(owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: 'ok.example', note: 'n'.repeat(201) }))).toMatch(
      /^BAD_REQUEST: [^]*Keep the note to 200 characters/,
    );
    expect(await codeOf(owner.egress.removeHost({ workspaceId: a.workspace.id, hostId: b.allowedHost.id }))).toBe('NOT_FOUND: Allowed host not found');
    await owner.egress.removeHost({ workspaceId: a.workspace.id, hostId: added.id });
    expect((await owner.egress.allowList({ workspaceId: a.workspace.id })).hosts.map((h) => h.pattern)).toEqual(['api.alpha.example']);
  });
});

describe('the operator directory (app.operator)', () => {
  it('reads workspace names, egress grants and limit overrides across tenants, and no other tenant table, nor writes them', async () => {
    // Read the catalog first: the embedded database runs one transaction at a time.
    const tables = await tenantTables(db.owner);
    const client = await db.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', $1, true), set_config('app.operator', 'on', true)`, [APP_ROLE]);
      const visible: Record<string, number> = {};
      for (const t of tables) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.${quoteIdent(t.table)}`);
        if (rows[0]!.n > 0) visible[t.table] = rows[0]!.n;
      }
      expect(visible).toEqual({ workspaces: 2, workspace_egress_grants: 2, workspace_limit_overrides: 2 });
      const renamed = await client.query(`UPDATE workspaces SET name = 'taken over'`);
      expect(renamed.rowCount).toBe(0);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('operator egress grants', () => {
  it('list every workspace with its grant to the operator only', async () => {
    expect(await codeOf(owner.admin.workspaces({}))).toBe('NOT_FOUND: Not found');
    const all = await operator.admin.workspaces({});
    expect(all.map((w) => w.name)).toEqual(['alpha workspace', 'bravo workspace']);
    expect(all.every((w) => w.allowPrivateAddresses === false)).toBe(true);
    expect((await operator.admin.workspaces({ search: 'BRAVO' })).map((w) => w.id)).toEqual([b.workspace.id]);
  });

  it('are granted and revoked by the operator, audited in the workspace, and open private entries while granted', async () => {
    expect(await codeOf(owner.providers.allowPrivateEgress({ workspaceId: a.workspace.id, allowed: true }))).toBe('NOT_FOUND: Not found');
    await operator.providers.allowPrivateEgress({ workspaceId: a.workspace.id, allowed: true });
    expect((await operator.admin.workspaces({})).find((w) => w.id === a.workspace.id)).toMatchObject({ allowPrivateAddresses: true });
    expect((await operator.admin.workspaces({})).find((w) => w.id === b.workspace.id)).toMatchObject({ allowPrivateAddresses: false });
    expect((await viewer.egress.allowList({ workspaceId: a.workspace.id })).allowPrivateAddresses).toBe(true);
    const internal = await owner.egress.allowHost({ workspaceId: a.workspace.id, pattern: '10.0.0.5' });
    expect(internal.pattern).toBe('10.0.0.5');

    await operator.providers.allowPrivateEgress({ workspaceId: a.workspace.id, allowed: false });
    expect((await operator.admin.workspaces({})).find((w) => w.id === a.workspace.id)).toMatchObject({ allowPrivateAddresses: false });
    const { rows } = await db.owner.query<{ action: string; target: string }>(
      `SELECT action, target FROM audit_events WHERE workspace_id = $1 AND action LIKE 'egress.private%' ORDER BY created_at`,
      [a.workspace.id],
    );
    // The seed recorded one refusal first.
    expect(rows.map((r) => r.action)).toEqual(['egress.private_addresses_refused', 'egress.private_addresses_allowed', 'egress.private_addresses_refused']);
    expect(rows.at(-1)!.target).toBe('llm providers and tools');
  });
});
