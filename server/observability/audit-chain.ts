// Verifies a workspace's audit hash chain (migration 0022): walks it in order,
// recomputing each event's hash in the database, and reports the first position
// where an event was changed, removed or relinked, or that the chain is intact.
import type { Tx } from '../db/with-workspace';

export type ChainBreak = 'edited' | 'missing' | 'relinked';

export type ChainVerification =
  | { intact: true; events: number; lastHash: string | null }
  | { intact: false; events: number; position: number; reason: ChainBreak; message: string };

const GENESIS = '0'.repeat(64);
const BATCH = 1000;

type ChainRow = { seq: bigint; prev_hash: string; hash: string; recomputed: string };

function broken(events: number, position: number, reason: ChainBreak): ChainVerification {
  const message = {
    edited: `Event #${position} was changed after it was written: its content no longer matches its hash.`,
    missing: `Event #${position} is missing: it was deleted from the log.`,
    relinked: `Event #${position} was rewritten: the event after it recorded a different hash for it.`,
  }[reason];
  return { intact: false, events, position, reason, message };
}

export async function verifyAuditChain(tx: Tx, workspaceId: string): Promise<ChainVerification> {
  let expected = 1n;
  let previous = GENESIS;
  let events = 0;
  for (;;) {
    const rows = await tx.$queryRaw<ChainRow[]>`
      SELECT seq, prev_hash, hash,
             audit_event_hash(prev_hash, workspace_id, seq, id, actor_user_id, action, target, metadata, created_at) AS recomputed
      FROM audit_events
      WHERE workspace_id = ${workspaceId}::uuid AND seq >= ${expected}
      ORDER BY seq
      LIMIT ${BATCH}`;
    for (const row of rows) {
      if (row.seq !== expected) return broken(events, Number(expected), 'missing');
      if (row.recomputed !== row.hash) return broken(events, Number(row.seq), 'edited');
      if (row.prev_hash !== previous) return broken(events, Number(row.seq) - 1, 'relinked');
      previous = row.hash;
      expected += 1n;
      events += 1;
    }
    if (rows.length < BATCH) break;
  }
  const head = await tx.auditChainHead.findUnique({ where: { workspaceId }, select: { lastSeq: true, lastHash: true } });
  const last = expected - 1n;
  if (head && head.lastSeq > last) return broken(events, Number(expected), 'missing');
  if (head && head.lastSeq === last && last > 0n && head.lastHash !== previous) return broken(events, Number(last), 'relinked');
  return { intact: true, events, lastHash: events > 0 ? previous : null };
}
