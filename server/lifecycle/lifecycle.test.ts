// The data lifecycle against a real database, across two workspaces: the export
// holds every tenant table's rows of its workspace (tables found in the catalog)
// and nothing of the other's or of the vault's secret values; retention deletes
// backdated rows in batches and nothing else; deletion leaves no row of the
// workspace in any table, destroys its data key and leaves the operator a receipt.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forbidden, InvalidInput, NotFound } from '../domain-errors';
import { withWorkspace } from '../db/with-workspace';
import { deleteWorkspace } from '../tenancy/workspaces';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { snapshotWorkspaceRows, tenantTables, type TenantTable } from '../testing/tenant-tables';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { IntegrityError, open } from '../vault/aes-gcm';
import { decryptSecret } from '../vault/decrypt-secret';
import { secretContext } from '../vault/secrets';
import { unwrapDataKey } from '../vault/workspace-keys';
import { deletionReceipts } from './deletion-receipts';
import { SECRET_COLUMNS } from './export-tables';
import { setRetention } from './retention-settings';
import { claimRetentionSweep, sweepWorkspace } from './retention-sweep';
import { readTarGz } from './tar-archive';
import { buildExport, claimNextExport, exportArchive, exportsOfWorkspace, requestExport } from './workspace-exports';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let tables: TenantTable[];

const ownerOf = (t: SeededTenant) => ({ userId: t.owner.id, workspaceId: t.workspace.id, role: 'owner' as const });

async function count(table: string, workspaceId: string, where = 'true'): Promise<number> {
  const { rows } = await db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE workspace_id = $1 AND ${where}`, [workspaceId]);
  return rows[0]!.n;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  tables = await tenantTables(db.owner);
});
afterAll(async () => db.stop());

describe('workspace export', () => {
  it("holds every tenant table's rows of the workspace, found in the catalog, and nothing of another workspace or of secret values", async () => {
    // The seed queued one export per workspace; build every queued export as a worker would.
    for (;;) {
      const job = await claimNextExport('test-worker', 60);
      if (!job) break;
      await buildExport(job, 'test-worker', 60);
    }
    const [done] = await withWorkspace(a.workspace.id, (tx) => exportsOfWorkspace(tx, a.workspace.id));
    expect(done).toMatchObject({ id: a.exportRequest.id, status: 'done', tablesDone: tables.length, tablesTotal: tables.length });
    const { archive, fileName } = await withWorkspace(a.workspace.id, (tx) => exportArchive(tx, ownerOf(a), a.exportRequest.id));
    expect(fileName).toMatch(new RegExp(`^${a.workspace.slug}-export-.*\\.tar\\.gz$`));

    const files = new Map(readTarGz(archive, gunzipSync).map((f) => [f.name, f.content.toString('utf8')]));
    const manifest = JSON.parse(files.get('manifest.json')!) as { tables: { table: string; rows: number; omittedColumns: string[] }[] };
    // Every tenant table is in the archive, with exactly the workspace's rows as the owner sees them.
    const snapshot = await snapshotWorkspaceRows(db.owner, tables, a.workspace.id);
    const problems: string[] = [];
    for (const t of tables) {
      const text = files.get(`${t.table}.ndjson`);
      if (text === undefined) {
        problems.push(`${t.table}: no file`);
        continue;
      }
      const rows = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const expected = snapshot[t.table]! as Record<string, unknown>[];
      const key = (r: Record<string, unknown>) => t.primaryKey.map((c) => String(r[c])).join('|');
      const exported = new Set(rows.map(key));
      const extra = [...exported].filter((k) => !expected.some((r) => key(r) === k));
      // Only the export's own later audit events (completed, downloaded) postdate it.
      const missing = expected.filter((r) => !exported.has(key(r)) && !(t.table === 'audit_events' && /^export\.(completed|downloaded)$/.test(String(r.action))));
      if (extra.length || missing.length) problems.push(`${t.table}: ${extra.length} rows not in the workspace, ${missing.length} of its rows missing`);
      for (const row of rows) {
        const tenant = t.tenantColumn === 'id' ? row.id : row.workspace_id;
        if (tenant !== a.workspace.id) problems.push(`${t.table}: a row of workspace ${String(tenant)}`);
        for (const secret of SECRET_COLUMNS[t.table] ?? []) if (secret in row) problems.push(`${t.table}.${secret} exported`);
      }
    }
    expect(problems).toEqual([]);
    expect(manifest.tables.map((t) => t.table).sort()).toEqual(tables.map((t) => t.table).sort());
    expect(manifest.tables.find((t) => t.table === 'secrets')!.omittedColumns).toEqual(expect.arrayContaining(['ciphertext', 'iv', 'tag']));
    // Nothing of B anywhere, and no secret value or key material in any file.
    const everything = [...files.values()].join('\n');
    expect(everything).not.toContain(b.workspace.id);
    expect(everything).not.toContain(a.secretValue);
    const { rows: vault } = await db.owner.query<{ ciphertext: Buffer; wrapped_key: Buffer }>(
      'SELECT s.ciphertext, k.wrapped_key FROM secrets s JOIN workspace_keys k ON k.id = s.key_id WHERE s.workspace_id = $1',
      [a.workspace.id],
    );
    for (const v of vault) {
      expect(everything).not.toContain(v.ciphertext.toString('hex'));
      expect(everything).not.toContain(v.wrapped_key.toString('hex'));
      expect(everything).not.toContain(v.ciphertext.toString('base64'));
    }
    const { rows: audit } = await db.owner.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE workspace_id = $1 AND action LIKE 'export.%' ORDER BY seq`,
      [a.workspace.id],
    );
    expect(audit.map((r) => r.action)).toEqual(['export.requested', 'export.completed', 'export.downloaded']);
  });

  it('allows one export in progress at a time and no download before it is done', async () => {
    const pending = await withWorkspace(b.workspace.id, (tx) => requestExport(tx, ownerOf(b)));
    await expect(withWorkspace(b.workspace.id, (tx) => requestExport(tx, ownerOf(b)))).rejects.toThrow(/already being built/);
    await expect(withWorkspace(b.workspace.id, (tx) => exportArchive(tx, ownerOf(b), pending.id))).rejects.toThrow(/not ready/);
    // Another workspace's export id is simply not found.
    await expect(withWorkspace(a.workspace.id, (tx) => exportArchive(tx, ownerOf(a), pending.id))).rejects.toThrow(NotFound);
  });
});

describe('retention', () => {
  it('deletes backdated runs, traces, messages and memory in batches, and nothing recent or of another workspace', async () => {
    const backdate = async (t: SeededTenant) => {
      await db.owner.query(`UPDATE runs SET created_at = now() - interval '40 days' WHERE workspace_id = $1`, [t.workspace.id]);
      await db.owner.query(`UPDATE trace_spans SET created_at = now() - interval '40 days' WHERE workspace_id = $1`, [t.workspace.id]);
      await db.owner.query(
        `UPDATE thread_messages SET created_at = now() - interval '40 days' WHERE workspace_id = $1 AND role = 'user'`,
        [t.workspace.id],
      );
      await db.owner.query(`UPDATE memory_items SET created_at = now() - interval '40 days' WHERE workspace_id = $1`, [t.workspace.id]);
    };
    await backdate(a);
    await backdate(b);
    // An unfinished old run is never deleted.
    await db.owner.query(
      `INSERT INTO runs (workspace_id, agent_id, agent_version, input, status, idempotency_key, created_at)
       SELECT workspace_id, agent_id, agent_version, input, 'queued', 'old-queued', now() - interval '40 days' FROM runs WHERE id = $1`,
      [a.run.id],
    );
    const before = {
      bRuns: await count('runs', b.workspace.id),
      aUsage: await count('usage_events', a.workspace.id),
      aRecentMessages: await count('thread_messages', a.workspace.id, `role <> 'user'`),
    };
    await withWorkspace(a.workspace.id, (tx) => setRetention(tx, ownerOf(a), { runsDays: 30, tracesDays: 30, messagesDays: 30, memoryDays: 30 }));

    const swept: string[] = [];
    for (;;) {
      const claimed = await claimRetentionSweep(3600);
      if (!claimed) break;
      swept.push(claimed.id);
      await sweepWorkspace(claimed.id, 1);
    }
    expect(swept).toContain(a.workspace.id);
    expect(await count('runs', a.workspace.id, `status = 'succeeded'`)).toBe(0);
    expect(await count('runs', a.workspace.id, `status = 'queued'`)).toBe(1);
    expect(await count('run_steps', a.workspace.id)).toBe(0);
    expect(await count('trace_spans', a.workspace.id)).toBe(0);
    expect(await count('thread_messages', a.workspace.id, `role = 'user'`)).toBe(0);
    expect(await count('thread_messages', a.workspace.id, `role <> 'user'`)).toBe(before.aRecentMessages);
    expect(await count('memory_items', a.workspace.id)).toBe(0);
    // The ledger keeps its rows (and their cost).
    expect(await count('usage_events', a.workspace.id)).toBe(before.aUsage);
    // B keeps runs for a year: its 40-day-old run stays.
    expect(await count('runs', b.workspace.id)).toBe(before.bRuns);
    expect(await count('memory_items', b.workspace.id)).toBe(1);
    const { rows } = await db.owner.query(`SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'retention.swept'`, [a.workspace.id]);
    expect(rows[0].metadata).toMatchObject({ runs: 1, traces: expect.any(Number), messages: 1, memory: 1 });
    // Not due again until the interval has passed.
    expect(await claimRetentionSweep(3600)).toBeNull();
  });
});

describe('workspace deletion', () => {
  it('refuses a wrong confirmation and a non-owner, changing nothing', async () => {
    await expect(withWorkspace(a.workspace.id, (tx) => deleteWorkspace(tx, ownerOf(a), 'not-the-slug'))).rejects.toThrow(InvalidInput);
    await expect(
      withWorkspace(a.workspace.id, (tx) => deleteWorkspace(tx, { userId: a.member.id, workspaceId: a.workspace.id }, a.workspace.slug)),
    ).rejects.toThrow(Forbidden);
    // The database function checks for itself too.
    await expect(
      withWorkspace(a.workspace.id, (tx) => tx.$queryRaw`SELECT delete_workspace(${a.workspace.id}::uuid, 'wrong', ${a.owner.id}::uuid)`),
    ).rejects.toThrow(/does not match/);
    await expect(
      withWorkspace(b.workspace.id, (tx) => tx.$queryRaw`SELECT delete_workspace(${a.workspace.id}::uuid, ${a.workspace.slug}, ${a.owner.id}::uuid)`),
    ).rejects.toThrow(/only on the transaction/);
    const { rows } = await db.owner.query('SELECT slug FROM workspaces WHERE id = $1', [a.workspace.id]);
    expect(rows).toEqual([{ slug: a.workspace.slug }]);
  });

  it("leaves no row of the workspace in any table, destroys its data key, keeps the other workspace whole and leaves a receipt", async () => {
    const bBefore = await snapshotWorkspaceRows(db.owner, tables, b.workspace.id);
    const aBefore = await snapshotWorkspaceRows(db.owner, tables, a.workspace.id);
    const { rows: saved } = await db.owner.query<{ name: string; ciphertext: Buffer; iv: Buffer; tag: Buffer }>(
      'SELECT name, ciphertext, iv, tag FROM secrets WHERE workspace_id = $1',
      [a.workspace.id],
    );
    expect(saved.length).toBeGreaterThan(0);

    const receiptId = await withWorkspace(a.workspace.id, (tx) => deleteWorkspace(tx, ownerOf(a), ` ${a.workspace.slug} `));

    const after = await snapshotWorkspaceRows(db.owner, tables, a.workspace.id);
    const left = Object.entries(after).filter(([, rows]) => rows.length > 0).map(([table, rows]) => `${table}: ${rows.length}`);
    expect(left).toEqual([]);
    expect(await snapshotWorkspaceRows(db.owner, tables, b.workspace.id)).toEqual(bBefore);

    // The saved ciphertexts open with no data key that still exists, and the vault no longer knows them.
    const { rows: keys } = await db.owner.query<{ workspace_id: string }>('SELECT workspace_id FROM workspace_keys');
    for (const { workspace_id } of keys) {
      await withWorkspace(workspace_id, async (tx) => {
        const row = await tx.workspaceKey.findUniqueOrThrow({ where: { workspaceId: workspace_id } });
        const { key } = await unwrapDataKey(tx, workspace_id, {
          id: row.id,
          masterKeyId: row.masterKeyId,
          ciphertext: new Uint8Array(row.wrappedKey),
          iv: new Uint8Array(row.iv),
          tag: new Uint8Array(row.tag),
        });
        for (const s of saved) {
          expect(() => open(key, { ciphertext: new Uint8Array(s.ciphertext), iv: new Uint8Array(s.iv), tag: new Uint8Array(s.tag) }, secretContext(a.workspace.id, s.name), 'saved')).toThrow(IntegrityError);
        }
      });
    }
    await expect(
      withWorkspace(a.workspace.id, (tx) => decryptSecret(tx, { workspaceId: a.workspace.id, name: saved[0]!.name, purpose: 'after deletion' })),
    ).rejects.toThrow(NotFound);

    const [receipt] = await deletionReceipts();
    expect(receipt).toMatchObject({ id: receiptId, deletedWorkspaceId: a.workspace.id, slug: a.workspace.slug, deletedBy: a.owner.id, dataKeyDestroyed: true });
    const expectedCounts = Object.fromEntries(Object.entries(aBefore).filter(([, rows]) => rows.length > 0).map(([t, rows]) => [t, rows.length]));
    expect(receipt!.rowCounts).toEqual(expectedCounts);
    expect(JSON.stringify(receipt)).not.toContain(a.secretValue);
    expect(JSON.stringify(receipt)).not.toContain(a.knowledgeChunkText);
  });
});
