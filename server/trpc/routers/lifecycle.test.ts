// The audit and data-lifecycle procedures as a client meets them: verification
// and CSV export are themselves audited, bad filters and retention values and a
// wrong deletion confirmation are clean 400s with the user's message, an
// unfinished export cannot be downloaded, and sign-ins reach every workspace's log.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../../db/with-workspace';
import { signUp } from '../../tenancy/accounts';
import { auditSignIn } from '../../tenancy/sign-in-audit';
import { createWorkspace, type WorkspaceSummary } from '../../tenancy/workspaces';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { createContext, type SessionUser } from '../context';
import { createCaller } from '../root';

let db: TestDatabase;
let user: SessionUser;
let one: WorkspaceSummary;
let two: WorkspaceSummary;

const as = (who: SessionUser) => createCaller(createContext(who));

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

async function actions(workspaceId: string): Promise<string[]> {
  const { rows } = await db.owner.query<{ action: string }>('SELECT action FROM audit_events WHERE workspace_id = $1 ORDER BY seq', [workspaceId]);
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  db = await createTestDatabase();
  user = await signUp({ email: 'keeper@lifecycle.test', name: 'Keeper', password: 'correct horse battery staple' });
  one = await createWorkspace(user.id, { name: 'Lifecycle one', slug: 'lifecycle-one' });
  two = await createWorkspace(user.id, { name: 'Lifecycle two', slug: 'lifecycle-two' });
});
afterAll(async () => db.stop());

describe('audit and lifecycle procedures', () => {
  it('records a sign-in in every workspace the user belongs to', async () => {
    expect(await auditSignIn(user.id, { clientAddress: '203.0.113.9', userAgent: 'test browser' })).toBe(2);
    for (const ws of [one, two]) expect(await actions(ws.id)).toContain('auth.signed_in');
    const { rows } = await db.owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'auth.signed_in'`, [one.id]);
    expect(rows[0].metadata).toEqual({ clientAddress: '203.0.113.9', userAgent: 'test browser' });
  });

  it('verifies the chain and records that it did', async () => {
    const result = await as(user).audit.verify({ workspaceId: one.id });
    expect(result).toMatchObject({ intact: true });
    expect((await actions(one.id)).at(-1)).toBe('audit.verified');
    const page = await as(user).audit.list({ workspaceId: one.id, filter: { action: 'audit.verified' } });
    expect(page.events).toHaveLength(1);
    expect(page.events[0]).toMatchObject({ actorUserId: user.id, actorName: 'Keeper', metadata: { intact: true } });
  });

  it('records a CSV export with its filter, and refuses a malformed filter', async () => {
    await as(user).audit.recordCsvExport({ workspaceId: one.id, filter: { action: 'workspace.created', from: '2020-01-01' } });
    const { rows } = await db.owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'audit.exported'`, [one.id]);
    expect(rows[0].metadata).toEqual({ action: 'workspace.created', from: '2020-01-01' });
    const bad = await refusal(as(user).audit.list({ workspaceId: one.id, filter: { from: '2020-13-45' } }));
    expect(bad.code).toBe('BAD_REQUEST');
    const reversed = await refusal(as(user).audit.list({ workspaceId: one.id, filter: { from: '2020-02-01', to: '2020-01-01' } }));
    expect(reversed.message).toMatch(/From must not be after To/);
  });

  it('saves retention (audited with before and after) and refuses out-of-range days', async () => {
    const zero = await refusal(as(user).lifecycle.setRetention({ workspaceId: one.id, runsDays: 0, tracesDays: null, messagesDays: null, memoryDays: null }));
    expect(zero.code).toBe('BAD_REQUEST');
    expect(zero.message).toMatch(/at least 1 day/);
    const saved = await as(user).lifecycle.setRetention({ workspaceId: one.id, runsDays: 30, tracesDays: 7, messagesDays: null, memoryDays: 90 });
    expect(saved).toMatchObject({ runsDays: 30, tracesDays: 7, messagesDays: null, memoryDays: 90 });
    expect(await as(user).lifecycle.retention({ workspaceId: one.id })).toMatchObject({ runsDays: 30 });
    const { rows } = await db.owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'retention.updated'`, [one.id]);
    expect(rows[0].metadata).toMatchObject({ from: { runsDays: null }, to: { runsDays: 30, tracesDays: 7, memoryDays: 90 } });
  });

  it('will not hand out an export before it is built', async () => {
    const requested = await as(user).lifecycle.requestExport({ workspaceId: one.id });
    expect(requested.status).toBe('queued');
    const early = await refusal(as(user).lifecycle.downloadExport({ workspaceId: one.id, exportId: requested.id }));
    expect(early.code).toBe('CONFLICT');
    const elsewhere = await refusal(as(user).lifecycle.downloadExport({ workspaceId: two.id, exportId: requested.id }));
    expect(elsewhere.code).toBe('NOT_FOUND');
  });

  it('refuses a deletion whose typed URL does not match, then deletes with the right one', async () => {
    const wrong = await refusal(as(user).workspaces.delete({ workspaceId: two.id, confirm: 'lifecycle-one' }));
    expect(wrong.code).toBe('BAD_REQUEST');
    expect(wrong.message).toBe('Type the workspace URL, lifecycle-two, exactly to confirm');
    expect(await withWorkspace(two.id, (tx) => tx.workspace.count())).toBe(1);
    const done = await as(user).workspaces.delete({ workspaceId: two.id, confirm: 'lifecycle-two' });
    expect(done.ok).toBe(true);
    const { rows } = await db.owner.query('SELECT slug, deleted_by FROM workspace_deletion_receipts WHERE id = $1', [done.receiptId]);
    expect(rows).toEqual([{ slug: 'lifecycle-two', deleted_by: user.id }]);
    expect((await refusal(as(user).workspaces.get({ workspaceId: two.id }))).code).toBe('NOT_FOUND');
    // The workspace's log went with it; the owner's account trail keeps the deletion.
    const trail = await as(user).account.securityEvents();
    expect(trail.map((e) => e.action)).toContain('workspace.deleted');
  });
});
