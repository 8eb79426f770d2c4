// The story of one document's ingestion, as the worker holding its lease tells it:
// read the source (fetching a URL through the egress guard), parse, chunk, then
// embed batch by batch through the gateway (metered) and write each batch with the
// document's progress in one short transaction. No transaction is open during a
// fetch or an embedding call. Every write checks the lease first, so a document
// deleted or requeued meanwhile is left alone. A bad file fails at once with its
// reason; anything else is retried (ingestion-states.ts) with the reason shown.
// A ready document that takes its workspace over the exact-scan threshold gets
// the workspace its own HNSW index (workspace-vector-index.ts).
// A document that does not fit the workspace's knowledge storage fails with the
// limit's message (server/governance/knowledge-storage.ts), its chunks removed.
import { DomainError, InvalidInput, LimitExceeded, PolicyViolation } from '../domain-errors';
import { withWorkspace } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { privateEgressAllowed } from '../llm/egress-grants';
import { sendGuardedRequest, type EgressAdapters } from '../net/egress-guard';
import { assertKnowledgeRoom } from '../governance/knowledge-storage';
import { logger } from '../observability/logger';
import { chunkDocument, type DocumentChunk } from './chunk-document';
import { DOCUMENT_FORMATS, MAX_UPLOAD_BYTES, type DocumentFormat } from './document-formats';
import { dimensionsParameter, vectorLiteral, type EmbeddingChoice } from './embedding-models';
import type { ClaimedDocument } from './ingestion-claim';
import { MAX_INGESTION_ATTEMPTS, retryDelayMs } from './ingestion-states';
import { URL_SOURCE_HOSTS } from './knowledge-documents';
import { parseDocument, parsePastedText, type ParsedDocument } from './parse-document';
import { ensureWorkspaceVectorIndex } from './workspace-vector-index';

export type IngestionDeps = {
  gateway: Gateway;
  egressAdapters: EgressAdapters;
  workerId: string;
  leaseMs: number;
  batchSize: number;
};

/** Chunk size for retrieval: a few paragraphs, with a sentence or two of overlap. */
export const INGEST_CHUNK_OPTIONS = { maxTokens: 300, overlapTokens: 40 } as const;

const URL_FETCH_TIMEOUT_MS = 20_000;

type Lease = { workspaceId: string; documentId: string; workerId: string; leaseMs: number };

type Source = {
  knowledgeBaseId: string;
  sourceKind: string;
  name: string;
  sourceUrl: string | null;
  format: string | null;
  content: Uint8Array | null;
  embedding: EmbeddingChoice;
  allowPrivateAddresses: boolean;
};

export async function ingestDocument(deps: IngestionDeps, claimed: ClaimedDocument): Promise<void> {
  const lease: Lease = { workspaceId: claimed.workspaceId, documentId: claimed.id, workerId: deps.workerId, leaseMs: deps.leaseMs };
  let indexed: EmbeddingChoice | null = null;
  try {
    const source = await loadSource(lease);
    if (!source) return;
    const parsed = await parseSource(deps, lease, source);
    const chunks = chunkDocument(parsed.blocks, INGEST_CHUNK_OPTIONS);
    if (!chunks.length) throw new InvalidInput('The document has no text to index.', 'file');
    if (!(await startWriting(lease, source.embedding.model, chunks.length))) return;
    for (let start = 0; start < chunks.length; start += deps.batchSize) {
      const batch = chunks.slice(start, start + deps.batchSize);
      const result = await deps.gateway.embed({
        workspaceId: lease.workspaceId,
        texts: batch.map(embeddingText),
        override: { model: source.embedding.model },
        dimensions: dimensionsParameter(source.embedding),
        // Over the model tokens per minute, wait for the next minute while the lease still holds.
        waitForTokensMs: deps.leaseMs / 2,
      });
      const rows = batch.map((chunk, i) => chunkRow(chunk, vectorLiteral(result.embeddings[i] ?? [], source.embedding.dimension)));
      const done = start + batch.length;
      if (!(await writeBatch(lease, source, rows, Math.floor((done / chunks.length) * 99)))) return;
    }
    if (await finishReady(lease, chunks.length)) indexed = source.embedding;
  } catch (error) {
    await failAttempt(lease, claimed.attemptCount, error);
  }
  if (indexed) await indexLargeWorkspace(lease.workspaceId, indexed.dimension);
}

/** Once the workspace has outgrown the exact scan, its own HNSW index (workspace-vector-index.ts); the document is ready either way. */
async function indexLargeWorkspace(workspaceId: string, dimension: number): Promise<void> {
  try {
    if ((await ensureWorkspaceVectorIndex(workspaceId, dimension)) === 'built') logger.info({ workspaceId, dimension }, 'workspace vector index built');
  } catch (error) {
    logger.warn({ workspaceId, dimension, reason: String(error) }, 'building the workspace vector index failed');
  }
}

async function loadSource(lease: Lease): Promise<Source | null> {
  return withWorkspace(lease.workspaceId, async (tx) => {
    const doc = await tx.knowledgeDocument.findUnique({
      where: { workspaceId_id: { workspaceId: lease.workspaceId, id: lease.documentId } },
      include: { knowledgeBase: { select: { embeddingModel: true, dimension: true } } },
    });
    if (!doc || doc.leaseOwner !== lease.workerId) return null;
    return {
      knowledgeBaseId: doc.knowledgeBaseId,
      sourceKind: doc.sourceKind,
      name: doc.name,
      sourceUrl: doc.sourceUrl,
      format: doc.format,
      content: doc.content ? new Uint8Array(doc.content) : null,
      embedding: { model: doc.knowledgeBase.embeddingModel, dimension: doc.knowledgeBase.dimension },
      allowPrivateAddresses: await privateEgressAllowed(tx, lease.workspaceId),
    };
  });
}

async function parseSource(deps: IngestionDeps, lease: Lease, source: Source): Promise<ParsedDocument> {
  if (source.sourceKind === 'paste') return parsePastedText(new TextDecoder().decode(source.content ?? new Uint8Array()));
  if (source.sourceKind === 'url') {
    const fetched = await fetchUrl(deps, source);
    const parsed = await parseDocument(fetched);
    await withWorkspace(lease.workspaceId, (tx) =>
      tx.knowledgeDocument.updateMany({
        where: { workspaceId: lease.workspaceId, id: lease.documentId, leaseOwner: lease.workerId },
        data: { format: parsed.format, sizeBytes: fetched.bytes.length, updatedAt: new Date() },
      }),
    );
    return parsed;
  }
  const format = (source.format ?? 'text') as DocumentFormat;
  return parseDocument({ bytes: source.content ?? new Uint8Array(), contentType: DOCUMENT_FORMATS[format].contentTypes[0], fileName: source.name });
}

async function fetchUrl(deps: IngestionDeps, source: Source): Promise<{ bytes: Uint8Array; contentType?: string; fileName: string }> {
  const url = new URL(source.sourceUrl ?? '');
  const response = await sendGuardedRequest(
    { url, method: 'GET', headers: { accept: 'text/html, text/markdown, text/plain, application/pdf, */*;q=0.5' } },
    {
      policy: { allowedHosts: URL_SOURCE_HOSTS, allowPrivateAddresses: source.allowPrivateAddresses },
      adapters: deps.egressAdapters,
      limits: { timeoutMs: URL_FETCH_TIMEOUT_MS, maxResponseBytes: MAX_UPLOAD_BYTES },
    },
  );
  if (response.status < 200 || response.status >= 300) {
    throw new InvalidInput(`Fetching ${url.origin} answered HTTP ${response.status}.`, 'url');
  }
  return { bytes: response.body, contentType: response.headers['content-type'], fileName: url.pathname.split('/').at(-1) ?? '' };
}

/** The heading path travels with the text, so a passage under "Refunds" matches a question about refunds. */
function embeddingText(chunk: DocumentChunk): string {
  return chunk.headingPath.length ? `${chunk.headingPath.join(' › ')}\n${chunk.text}` : chunk.text;
}

type ChunkRow = { position: number; heading_path: string[]; text: string; token_count: number; embedding: string };

function chunkRow(chunk: DocumentChunk, embedding: string): ChunkRow {
  return { position: chunk.index, heading_path: chunk.headingPath, text: chunk.text, token_count: chunk.tokenCount, embedding };
}

/**
 * Clears an earlier attempt's (or the previous model's) chunks once the new ones
 * are ready to be written, if the whole document fits the workspace's knowledge storage.
 */
async function startWriting(lease: Lease, model: string, chunkCount: number): Promise<boolean> {
  return withWorkspace(lease.workspaceId, async (tx) => {
    const doc = await tx.knowledgeDocument.findFirst({ where: { workspaceId: lease.workspaceId, id: lease.documentId }, select: { sizeBytes: true } });
    await assertKnowledgeRoom(tx, lease.workspaceId, { bytes: doc?.sizeBytes ?? 0, chunks: chunkCount, documentId: lease.documentId });
    const held = await tx.knowledgeDocument.updateMany({
      where: { workspaceId: lease.workspaceId, id: lease.documentId, leaseOwner: lease.workerId, status: 'processing' },
      data: { progress: 0, chunkCount: 0, embeddingModel: model, leaseExpiresAt: new Date(Date.now() + lease.leaseMs), updatedAt: new Date() },
    });
    if (!held.count) return false;
    await tx.knowledgeChunk.deleteMany({ where: { workspaceId: lease.workspaceId, documentId: lease.documentId } });
    return true;
  });
}

/** One batch and the progress it brings, under the lease (the row lock also holds off a concurrent delete). */
async function writeBatch(lease: Lease, source: Source, rows: ChunkRow[], progress: number): Promise<boolean> {
  return withWorkspace(lease.workspaceId, async (tx) => {
    const held = await tx.knowledgeDocument.updateMany({
      where: { workspaceId: lease.workspaceId, id: lease.documentId, leaseOwner: lease.workerId, status: 'processing' },
      data: { progress, chunkCount: { increment: rows.length }, leaseExpiresAt: new Date(Date.now() + lease.leaseMs), updatedAt: new Date() },
    });
    if (!held.count) return false;
    // Another document of the workspace may have been written since startWriting(): the bound holds batch by batch.
    await assertKnowledgeRoom(tx, lease.workspaceId, { bytes: 0, chunks: rows.length });
    await tx.$executeRaw`
      INSERT INTO knowledge_chunks
        (workspace_id, knowledge_base_id, document_id, position, heading_path, text, token_count, embedding_model, dimension, embedding)
      SELECT ${lease.workspaceId}::uuid, ${source.knowledgeBaseId}::uuid, ${lease.documentId}::uuid,
             r.position, r.heading_path, r.text, r.token_count, ${source.embedding.model}, ${source.embedding.dimension}::int,
             r.embedding::vector
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(position int, heading_path text[], text text, token_count int, embedding text)`;
    return true;
  });
}

async function finishReady(lease: Lease, chunkCount: number): Promise<boolean> {
  const finished = await withWorkspace(lease.workspaceId, (tx) =>
    tx.knowledgeDocument.updateMany({
      where: { workspaceId: lease.workspaceId, id: lease.documentId, leaseOwner: lease.workerId, status: 'processing' },
      data: {
        status: 'ready',
        progress: 100,
        chunkCount,
        failureReason: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: new Date(),
        updatedAt: new Date(),
      },
    }),
  );
  return finished.count > 0;
}

/**
 * A bad file cannot get better by retrying, nor can a full quota; everything else
 * (a model or network failure, a per-minute rate limit) can.
 */
function isPermanent(error: unknown): boolean {
  return error instanceof InvalidInput || (error instanceof LimitExceeded && !error.retryAfterSeconds) || error instanceof PolicyViolation;
}

async function failAttempt(lease: Lease, attempt: number, error: unknown): Promise<void> {
  const reason = error instanceof DomainError ? error.message : 'The document could not be ingested.';
  if (!(error instanceof DomainError)) logger.error({ documentId: lease.documentId, reason: String(error) }, 'ingestion failed');
  const retry = !isPermanent(error) && attempt < MAX_INGESTION_ATTEMPTS;
  await withWorkspace(lease.workspaceId, async (tx) => {
    const failed = await tx.knowledgeDocument.updateMany({
      where: { workspaceId: lease.workspaceId, id: lease.documentId, leaseOwner: lease.workerId, status: 'processing' },
      data: retry
        ? { status: 'queued', failureReason: `Attempt ${attempt} failed, retrying: ${reason}`, runAfter: new Date(Date.now() + Math.max(retryDelayMs(attempt), error instanceof LimitExceeded ? (error.retryAfterSeconds ?? 0) * 1000 : 0)), leaseOwner: null, leaseExpiresAt: null, updatedAt: new Date() }
        : { status: 'failed', failureReason: reason, leaseOwner: null, leaseExpiresAt: null, finishedAt: new Date(), updatedAt: new Date() },
    });
    // A failed document is not half searchable (nor does it hold storage with part of its chunks).
    if (failed.count && !retry) await tx.knowledgeChunk.deleteMany({ where: { workspaceId: lease.workspaceId, documentId: lease.documentId } });
  }).catch((failure: unknown) => logger.warn({ documentId: lease.documentId, reason: String(failure) }, 'recording an ingestion failure failed'));
}
