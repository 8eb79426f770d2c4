// Documents of a knowledge base: added by upload, paste or URL (checked here —
// type, size, URL shape — then queued for the ingestion worker), listed with their
// ingestion state, retried, and deleted (their chunks go with them, by cascade).
// A document that would not fit the workspace's knowledge storage is refused here.
import { InvalidInput, LimitExceeded, NotFound, PolicyViolation } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { assertKnowledgeRoom } from '../governance/knowledge-storage';
import { vetUrl } from '../net/egress-policy';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { DOCUMENT_FORMATS, detectFormat } from './document-formats';
import { knowledgeBase } from './knowledge-bases';
import type { IngestionState } from './ingestion-states';

export type SourceKind = 'upload' | 'paste' | 'url';

export type KnowledgeDocumentView = {
  id: string;
  knowledgeBaseId: string;
  sourceKind: SourceKind;
  name: string;
  sourceUrl: string | null;
  format: string | null;
  sizeBytes: number;
  status: IngestionState;
  failureReason: string | null;
  progress: number;
  chunkCount: number;
  attemptCount: number;
  createdAt: Date;
  finishedAt: Date | null;
};

/** The egress policy for URL sources: any public host (the user names it), never a private one unless granted. */
export const URL_SOURCE_HOSTS = ['*'] as const;

const documentSelect = {
  id: true,
  knowledgeBaseId: true,
  sourceKind: true,
  name: true,
  sourceUrl: true,
  format: true,
  sizeBytes: true,
  status: true,
  failureReason: true,
  progress: true,
  chunkCount: true,
  attemptCount: true,
  createdAt: true,
  finishedAt: true,
} as const;

type DocumentRow = { sourceKind: string; status: string } & Omit<KnowledgeDocumentView, 'sourceKind' | 'status'>;

function documentView(row: DocumentRow): KnowledgeDocumentView {
  return { ...row, sourceKind: row.sourceKind as SourceKind, status: row.status as IngestionState };
}

export async function documentsOfKnowledgeBase(tx: Tx, workspaceId: string, knowledgeBaseId: string): Promise<KnowledgeDocumentView[]> {
  await knowledgeBase(tx, workspaceId, knowledgeBaseId);
  const rows = await tx.knowledgeDocument.findMany({
    where: { workspaceId, knowledgeBaseId },
    select: documentSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  return rows.map(documentView);
}

export async function knowledgeDocument(tx: Tx, workspaceId: string, documentId: string): Promise<KnowledgeDocumentView> {
  const row = await tx.knowledgeDocument.findUnique({ where: { workspaceId_id: { workspaceId, id: documentId } }, select: documentSelect });
  if (!row) throw new NotFound('Document not found');
  return documentView(row);
}

type NewDocument = { sourceKind: SourceKind; name: string; sourceUrl?: string; format: string | null; content: Uint8Array | null };

async function queueDocument(tx: Tx, actor: Actor, knowledgeBaseId: string, doc: NewDocument): Promise<KnowledgeDocumentView> {
  const base = await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
  // A URL's size is known once fetched; ingestion checks it again then (ingest-document.ts).
  await assertKnowledgeRoom(tx, actor.workspaceId, { bytes: doc.content?.length ?? 0, chunks: 0 });
  const row = await tx.knowledgeDocument.create({
    data: {
      workspaceId: actor.workspaceId,
      knowledgeBaseId,
      sourceKind: doc.sourceKind,
      name: doc.name,
      sourceUrl: doc.sourceUrl ?? null,
      format: doc.format,
      sizeBytes: doc.content?.length ?? 0,
      content: doc.content ? Buffer.from(doc.content) : null,
      createdBy: actor.userId,
    },
    select: documentSelect,
  });
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'knowledge_document.added',
    target: `${base.name}: ${doc.name}`,
  });
  return documentView(row);
}

function documentName(name: string | undefined, fallback: string): string {
  const printable = [...(name ?? '')].filter((ch) => ch.charCodeAt(0) >= 0x20).join('');
  const trimmed = printable.trim().slice(0, 300);
  return trimmed || fallback;
}

/** A file: its type and size are checked now (a bad file is refused before anything is stored). */
export async function addUploadedDocument(
  tx: Tx,
  actor: Actor,
  knowledgeBaseId: string,
  file: { bytes: Uint8Array; contentType?: string; fileName?: string },
): Promise<KnowledgeDocumentView> {
  await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
  const format = detectFormat(file.bytes, file.contentType, file.fileName);
  return queueDocument(tx, actor, knowledgeBaseId, {
    sourceKind: 'upload',
    name: documentName(file.fileName, `Upload (${DOCUMENT_FORMATS[format].label})`),
    format,
    content: file.bytes,
  });
}

export async function addPastedDocument(
  tx: Tx,
  actor: Actor,
  knowledgeBaseId: string,
  input: { name: string; text: string },
): Promise<KnowledgeDocumentView> {
  await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
  const bytes = new TextEncoder().encode(input.text);
  if (!input.text.trim()) throw new InvalidInput('Paste some text.', 'text');
  const { maxBytes } = DOCUMENT_FORMATS.markdown;
  if (bytes.length > maxBytes) throw new LimitExceeded(`Pasted text can be at most ${maxBytes / (1024 * 1024)} MB.`);
  return queueDocument(tx, actor, knowledgeBaseId, { sourceKind: 'paste', name: documentName(input.name, 'Pasted text'), format: 'markdown', content: bytes });
}

/** A URL: its shape is checked now; it is fetched by the worker through the egress guard. */
export async function addUrlDocument(
  tx: Tx,
  actor: Actor,
  knowledgeBaseId: string,
  input: { url: string; name?: string },
): Promise<KnowledgeDocumentView> {
  await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
  let target: ReturnType<typeof vetUrl>;
  try {
    target = vetUrl(input.url.trim(), { allowedHosts: URL_SOURCE_HOSTS, allowPrivateAddresses: false });
  } catch (error) {
    // A URL the guard would refuse is a bad URL to the person typing it.
    if (error instanceof PolicyViolation) throw new InvalidInput(error.message, 'url');
    throw error;
  }
  return queueDocument(tx, actor, knowledgeBaseId, {
    sourceKind: 'url',
    name: documentName(input.name, target.url.host + target.url.pathname),
    sourceUrl: target.url.toString(),
    format: null,
    content: null,
  });
}

/** A failed document goes back to the queue with fresh attempts. */
export async function retryDocument(tx: Tx, actor: Actor, documentId: string): Promise<KnowledgeDocumentView> {
  const doc = await knowledgeDocument(tx, actor.workspaceId, documentId);
  if (doc.status !== 'failed') throw new InvalidInput('Only a failed document can be retried.', 'documentId');
  await tx.knowledgeDocument.update({
    where: { workspaceId_id: { workspaceId: actor.workspaceId, id: documentId } },
    data: { status: 'queued', attemptCount: 0, progress: 0, failureReason: null, runAfter: new Date(), updatedAt: new Date() },
  });
  return knowledgeDocument(tx, actor.workspaceId, documentId);
}

/** Removes the document and, by cascade, every chunk of it: nothing of it is retrieved again. */
export async function deleteDocument(tx: Tx, actor: Actor, documentId: string): Promise<void> {
  const doc = await knowledgeDocument(tx, actor.workspaceId, documentId);
  await tx.knowledgeDocument.delete({ where: { workspaceId_id: { workspaceId: actor.workspaceId, id: documentId } } });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'knowledge_document.deleted', target: doc.name });
}
