// Migration 0022 on a database that already has audit events: existing rows are
// chained per workspace in (created_at, id) order, the chain heads match, and the
// next insert continues each chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';
import { migrate, readMigrations } from '../db/migrator';
import { createOwnerPool } from '../db/owner-pool';

let embedded: EmbeddedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({});
  pool = createOwnerPool(embedded.url);
});
afterAll(async () => {
  await pool.end();
  await embedded.stop();
});

describe('audit chain backfill (migration 0022)', () => {
  it('chains the events written before it, per workspace, and later inserts continue the chains', async () => {
    const all = await readMigrations();
    const cut = all.findIndex((m) => m.name.startsWith('0022_'));
    expect(cut).toBeGreaterThan(0);
    await migrate(pool, all.slice(0, cut));
    const { rows: ws } = await pool.query<{ id: string }>(
      `INSERT INTO workspaces (name, slug) VALUES ('Old one', 'old-one'), ('Old two', 'old-two') RETURNING id`,
    );
    for (const [i, w] of ws.entries()) {
      for (let n = 0; n < 3 + i; n++) {
        await pool.query(`INSERT INTO audit_events (workspace_id, action, target, metadata, created_at) VALUES ($1, 'old.event', $2, $3, now() - make_interval(mins => $4))`, [
          w.id,
          `t${n}`,
          { n },
          10 - n,
        ]);
      }
    }
    await migrate(pool, all);

    for (const [i, w] of ws.entries()) {
      await pool.query(`INSERT INTO audit_events (workspace_id, action) VALUES ($1, 'new.event')`, [w.id]);
      const { rows } = await pool.query<{ seq: string; target: string | null; prev_hash: string; hash: string; recomputed: string; previous: string | null }>(
        `SELECT seq, target, prev_hash, hash,
                audit_event_hash(prev_hash, workspace_id, seq, id, actor_user_id, action, target, metadata, created_at) AS recomputed,
                lag(hash) OVER (ORDER BY seq) AS previous
         FROM audit_events WHERE workspace_id = $1 ORDER BY seq`,
        [w.id],
      );
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 4 + i }, (_, k) => k + 1));
      expect(rows.map((r) => r.target)).toEqual([...Array.from({ length: 3 + i }, (_, k) => `t${k}`), null]);
      for (const r of rows) {
        expect(r.recomputed).toBe(r.hash);
        expect(r.prev_hash).toBe(r.previous ?? '0'.repeat(64));
      }
      const { rows: head } = await pool.query('SELECT last_seq, last_hash FROM audit_chain_heads WHERE workspace_id = $1', [w.id]);
      expect(head).toEqual([{ last_seq: String(4 + i), last_hash: rows.at(-1)!.hash }]);
    }
  });
});
