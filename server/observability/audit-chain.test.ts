// The audit hash chain: written by the database for every insert, serialised per
// workspace, unforgeable by the app role, and verification finds an edited row,
// a deleted row and a deleted newest row — tampered with as the owner role,
// since the app role cannot update or delete audit rows at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { signUp } from '../tenancy/accounts';
import { createWorkspace, type WorkspaceSummary } from '../tenancy/workspaces';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { recordAudit } from './audit';
import { verifyAuditChain } from './audit-chain';
import { auditLogPage } from './audit-log';

let db: TestDatabase;
let userId: string;

async function workspaceWithEvents(slug: string, events: number): Promise<WorkspaceSummary> {
  const workspace = await createWorkspace(userId, { name: `Audit ${slug}`, slug });
  for (let i = 0; i < events; i++) {
    await withWorkspace(workspace.id, (tx) =>
      recordAudit(tx, { workspaceId: workspace.id, actorUserId: userId, action: 'test.event', target: `t${i}`, metadata: { i, note: 'ünïcode ✓' } }),
    );
  }
  return workspace;
}

const verify = (workspaceId: string) => withWorkspace(workspaceId, (tx) => verifyAuditChain(tx, workspaceId));

beforeAll(async () => {
  db = await createTestDatabase();
  userId = (await signUp({ email: 'auditor@chain.test', name: 'Auditor', password: 'correct horse battery staple' })).id;
});
afterAll(async () => db.stop());

describe('audit hash chain', () => {
  it('chains every event of a workspace, starting from the genesis hash, and verifies intact', async () => {
    const ws = await workspaceWithEvents('chain-intact', 5);
    const { rows } = await db.owner.query<{ seq: string; prev_hash: string; hash: string }>(
      'SELECT seq, prev_hash, hash FROM audit_events WHERE workspace_id = $1 ORDER BY seq',
      [ws.id],
    );
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6]); // workspace.created + 5
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    expect(await verify(ws.id)).toEqual({ intact: true, events: 6, lastHash: rows[5]!.hash });
  });

  it('serialises concurrent writers of one workspace into one gapless chain', async () => {
    const ws = await workspaceWithEvents('chain-concurrent', 0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withWorkspace(ws.id, (tx) => recordAudit(tx, { workspaceId: ws.id, actorUserId: null, action: 'test.parallel', target: String(i) })),
      ),
    );
    const result = await verify(ws.id);
    expect(result).toMatchObject({ intact: true, events: 21 });
  });

  it('ignores any chain values a writer supplies and refuses the app role any rewrite', async () => {
    const ws = await workspaceWithEvents('chain-forge', 1);
    await withWorkspace(ws.id, (tx) =>
      tx.$executeRaw`INSERT INTO audit_events (workspace_id, action, seq, prev_hash, hash, created_at)
                     VALUES (${ws.id}::uuid, 'test.forged', 99, 'x', 'y', '2001-01-01')`,
    );
    const { rows } = await db.owner.query('SELECT seq, hash, created_at FROM audit_events WHERE workspace_id = $1 AND action = $2', [ws.id, 'test.forged']);
    expect(Number(rows[0].seq)).toBe(3);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(rows[0].created_at).getFullYear()).toBeGreaterThan(2001);
    await expect(withWorkspace(ws.id, (tx) => tx.$executeRaw`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(withWorkspace(ws.id, (tx) => tx.$executeRaw`DELETE FROM audit_events`)).rejects.toThrow(/permission denied/);
    await expect(withWorkspace(ws.id, (tx) => tx.$executeRaw`UPDATE audit_chain_heads SET last_seq = 0`)).rejects.toThrow(/permission denied/);
    expect(await verify(ws.id)).toMatchObject({ intact: true, events: 3 });
  });

  it('finds a row the owner edited, at its position', async () => {
    const ws = await workspaceWithEvents('chain-edited', 4);
    await db.owner.query(`UPDATE audit_events SET metadata = '{"i": 99}' WHERE workspace_id = $1 AND seq = 3`, [ws.id]);
    expect(await verify(ws.id)).toMatchObject({ intact: false, position: 3, reason: 'edited' });
  });

  it('finds a row the owner edited and re-hashed, through the link the next row kept', async () => {
    const ws = await workspaceWithEvents('chain-rehashed', 4);
    await db.owner.query(
      `UPDATE audit_events SET target = 'rewritten',
         hash = audit_event_hash(prev_hash, workspace_id, seq, id, actor_user_id, action, 'rewritten', metadata, created_at)
       WHERE workspace_id = $1 AND seq = 2`,
      [ws.id],
    );
    expect(await verify(ws.id)).toMatchObject({ intact: false, position: 2, reason: 'relinked' });
  });

  it('finds a row the owner deleted from the middle', async () => {
    const ws = await workspaceWithEvents('chain-deleted', 4);
    await db.owner.query('DELETE FROM audit_events WHERE workspace_id = $1 AND seq = 2', [ws.id]);
    const result = await verify(ws.id);
    expect(result).toMatchObject({ intact: false, position: 2, reason: 'missing' });
    expect(result.intact ? '' : result.message).toMatch(/Event #2 is missing/);
  });

  it('finds the newest rows deleted, from the chain head', async () => {
    const ws = await workspaceWithEvents('chain-truncated', 4);
    await db.owner.query('DELETE FROM audit_events WHERE workspace_id = $1 AND seq >= 4', [ws.id]);
    expect(await verify(ws.id)).toMatchObject({ intact: false, position: 4, reason: 'missing' });
  });

  it("keeps each workspace's chain separate: tampering with one leaves the other intact", async () => {
    const one = await workspaceWithEvents('chain-one', 2);
    const two = await workspaceWithEvents('chain-two', 2);
    await db.owner.query('DELETE FROM audit_events WHERE workspace_id = $1 AND seq = 1', [one.id]);
    expect(await verify(one.id)).toMatchObject({ intact: false, position: 1 });
    expect(await verify(two.id)).toMatchObject({ intact: true, events: 3 });
  });

  it('pages the log newest first with filters by actor, action and time', async () => {
    const ws = await workspaceWithEvents('chain-filter', 3);
    await withWorkspace(ws.id, (tx) => recordAudit(tx, { workspaceId: ws.id, actorUserId: null, action: 'system.thing' }));
    const page = (filter: Parameters<typeof auditLogPage>[2], before?: number) =>
      withWorkspace(ws.id, (tx) => auditLogPage(tx, ws.id, filter, { before, limit: 2 }));
    const first = await page({ action: 'test.event' });
    expect(first.events.map((e) => e.target)).toEqual(['t2', 't1']);
    expect(first.events[0]!.actorName).toBe('Auditor');
    const second = await page({ action: 'test.event' }, first.nextCursor!);
    expect(second.events.map((e) => e.target)).toEqual(['t0']);
    expect(second.nextCursor).toBeNull();
    expect((await page({ actor: 'system' })).events.map((e) => e.action)).toEqual(['system.thing']);
    expect((await page({ actor: userId, action: 'workspace.created' })).events).toHaveLength(1);
    expect((await page({ to: new Date('2000-01-01') })).events).toHaveLength(0);
    expect((await page({ from: new Date(Date.now() - 60_000) })).events).toHaveLength(2);
  });
});
