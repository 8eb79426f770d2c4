// The knowledge-storage quota: documents' bytes and indexed chunks per workspace,
// against the plan's (or override's) knowledge_max_bytes and knowledge_max_chunks.
// A check takes a per-workspace transaction lock first, so two uploads or ingestions
// of the same workspace in any processes are counted one after the other and the
// stored total can never pass the limit.
import type { Tx } from '../db/with-workspace';
import { LimitExceeded } from '../domain-errors';
import { workspaceLimits } from './workspace-limits';

export type KnowledgeStorage = { bytes: number; chunks: number };

const MB = 1024 * 1024;

function size(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** Bytes of every document (whatever its state) and chunks indexed, of this workspace. */
export async function knowledgeStorageUsed(tx: Tx, workspaceId: string, exceptDocumentId?: string): Promise<KnowledgeStorage> {
  const except = exceptDocumentId ?? '00000000-0000-0000-0000-000000000000';
  const [row] = await tx.$queryRaw<{ bytes: bigint; chunks: bigint }[]>`
    SELECT (SELECT coalesce(sum(d.size_bytes), 0) FROM knowledge_documents d
             WHERE d.workspace_id = ${workspaceId}::uuid AND d.id <> ${except}::uuid)::bigint AS bytes,
           (SELECT count(*) FROM knowledge_chunks c
             WHERE c.workspace_id = ${workspaceId}::uuid AND c.document_id <> ${except}::uuid)::bigint AS chunks`;
  return { bytes: Number(row?.bytes ?? 0), chunks: Number(row?.chunks ?? 0) };
}

/**
 * Refuses (LimitExceeded) unless the workspace has room for `adding` more bytes
 * and chunks on top of what it stores — not counting `documentId`'s own earlier
 * bytes and chunks, which the addition replaces. Holds the workspace's storage
 * lock until the caller's transaction ends, so the caller must store what it
 * checked in that same transaction.
 */
export async function assertKnowledgeRoom(
  tx: Tx,
  workspaceId: string,
  adding: { bytes: number; chunks: number; documentId?: string },
): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`knowledge-storage:${workspaceId}`}, 0))) AS locked`;
  const limits = await workspaceLimits(tx, workspaceId);
  const used = await knowledgeStorageUsed(tx, workspaceId, adding.documentId);
  if (used.bytes + adding.bytes > limits.knowledgeMaxBytes) {
    throw new LimitExceeded(
      `Knowledge storage is full: this workspace stores ${size(used.bytes)} of its ${size(limits.knowledgeMaxBytes)} limit and this document needs ${size(adding.bytes)}. Delete documents or ask for a larger plan.`,
    );
  }
  if (used.chunks + adding.chunks > limits.knowledgeMaxChunks || (adding.chunks === 0 && used.chunks >= limits.knowledgeMaxChunks)) {
    throw new LimitExceeded(
      `Knowledge storage is full: this workspace has ${used.chunks.toLocaleString('en-US')} of its ${limits.knowledgeMaxChunks.toLocaleString('en-US')} chunks` +
        (adding.chunks ? ` and this document needs ${adding.chunks.toLocaleString('en-US')} more.` : '.') +
        ' Delete documents or ask for a larger plan.',
    );
  }
}
