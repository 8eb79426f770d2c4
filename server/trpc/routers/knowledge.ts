// Knowledge procedures: knowledge bases (list, read with documents, create, rename,
// change the embedding model, delete), documents (paste, URL, upload — the
// multipart route app/api/knowledge/upload calls addUpload — retry, delete) and
// hybrid search showing each hit's vector and text rank.
import { z } from 'zod';
import { defaultGateway } from '../../llm/default-gateway';
import { searchKnowledge, MAX_SEARCH_LIMIT } from '../../knowledge/hybrid-search';
import {
  builtInEmbeddingModels,
  changeEmbeddingModel,
  createKnowledgeBase,
  deleteKnowledgeBase,
  knowledgeBase,
  knowledgeBasesOfWorkspace,
  updateKnowledgeBase,
} from '../../knowledge/knowledge-bases';
import {
  addPastedDocument,
  addUploadedDocument,
  addUrlDocument,
  deleteDocument,
  documentsOfKnowledgeBase,
  retryDocument,
} from '../../knowledge/knowledge-documents';
import { INGESTION_STATES } from '../../knowledge/ingestion-states';
import { documentNameSchema, textSchema } from '../schemas';
import { MAX_UPLOAD_BYTES } from '../../knowledge/document-formats';
import { router, scopedOutboundProcedure, scopedProcedure } from '../init';

const knowledgeBaseSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  embeddingModel: z.string(),
  dimension: z.number(),
  documentCount: z.number(),
  readyCount: z.number(),
  chunkCount: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const documentSchema = z.object({
  id: z.string(),
  knowledgeBaseId: z.string(),
  sourceKind: z.enum(['upload', 'paste', 'url']),
  name: z.string(),
  sourceUrl: z.string().nullable(),
  format: z.string().nullable(),
  sizeBytes: z.number(),
  status: z.enum(INGESTION_STATES),
  failureReason: z.string().nullable(),
  progress: z.number(),
  chunkCount: z.number(),
  attemptCount: z.number(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

const hitSchema = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  documentName: z.string(),
  knowledgeBaseId: z.string(),
  knowledgeBaseName: z.string(),
  position: z.number(),
  headingPath: z.array(z.string()),
  text: z.string(),
  score: z.number(),
  vectorRank: z.number().nullable(),
  textRank: z.number().nullable(),
  similarity: z.number().nullable(),
});

const baseName = textSchema({ label: 'Knowledge base name', max: 100, requiredMessage: 'Name the knowledge base' });
const description = z.string().trim().max(1000, 'Use at most 1000 characters');
const embeddingModel = z.string().trim().min(1, 'Choose an embedding model').max(200);
const dimension = z.number().int('Use a whole number').min(8, 'Use 8–4096').max(4096, 'Use 8–4096');
const baseRef = z.object({ knowledgeBaseId: z.string().uuid() });
const documentRef = z.object({ documentId: z.string().uuid() });
/** Base64 of the largest file any format allows. */
const MAX_UPLOAD_BASE64 = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4;

export const knowledgeRouter = router({
  list: scopedProcedure('knowledge:read')
    .output(z.array(knowledgeBaseSchema))
    .query(({ ctx }) => knowledgeBasesOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  models: scopedProcedure('knowledge:read')
    .output(z.array(z.object({ model: z.string(), dimension: z.number(), label: z.string() })))
    .query(() => builtInEmbeddingModels()),

  get: scopedProcedure('knowledge:read')
    .input(baseRef)
    .output(z.object({ knowledgeBase: knowledgeBaseSchema, documents: z.array(documentSchema) }))
    .query(async ({ ctx, input }) => ({
      knowledgeBase: await knowledgeBase(ctx.db, ctx.actor.workspaceId, input.knowledgeBaseId),
      documents: await documentsOfKnowledgeBase(ctx.db, ctx.actor.workspaceId, input.knowledgeBaseId),
    })),

  create: scopedProcedure('knowledge:write')
    .input(z.object({ name: baseName, description: description.optional(), embeddingModel: embeddingModel.optional(), dimension: dimension.optional() }))
    .output(knowledgeBaseSchema)
    .mutation(({ ctx, input }) => createKnowledgeBase(ctx.db, ctx.actor, input)),

  update: scopedProcedure('knowledge:write')
    .input(baseRef.extend({ name: baseName, description }))
    .output(knowledgeBaseSchema)
    .mutation(({ ctx, input }) => updateKnowledgeBase(ctx.db, ctx.actor, input.knowledgeBaseId, input)),

  changeModel: scopedProcedure('knowledge:write')
    .input(baseRef.extend({ embeddingModel, dimension: dimension.optional() }))
    .output(z.object({ knowledgeBase: knowledgeBaseSchema, requeued: z.number() }))
    .mutation(({ ctx, input }) => changeEmbeddingModel(ctx.db, ctx.actor, input.knowledgeBaseId, input)),

  delete: scopedProcedure('knowledge:write')
    .input(baseRef)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteKnowledgeBase(ctx.db, ctx.actor, input.knowledgeBaseId);
      return { deleted: true as const };
    }),

  addText: scopedProcedure('knowledge:write')
    .input(baseRef.extend({ name: documentNameSchema('Document name'), text: z.string().min(1, 'Paste some text') }))
    .output(documentSchema)
    .mutation(({ ctx, input }) => addPastedDocument(ctx.db, ctx.actor, input.knowledgeBaseId, input)),

  addUrl: scopedProcedure('knowledge:write')
    .input(baseRef.extend({ url: z.string().trim().min(1, 'Enter a URL').max(2048, 'The URL is too long'), name: documentNameSchema('Document name').optional() }))
    .output(documentSchema)
    .mutation(({ ctx, input }) => addUrlDocument(ctx.db, ctx.actor, input.knowledgeBaseId, input)),

  /** A file as base64; browsers upload through the multipart route, which has the larger body cap. */
  addUpload: scopedProcedure('knowledge:write')
    .input(
      baseRef.extend({
        fileName: documentNameSchema('File name'),
        contentType: z.string().max(200),
        contentBase64: z
          .string()
          .max(MAX_UPLOAD_BASE64, 'The file is too large')
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Send the file as base64'),
      }),
    )
    .output(documentSchema)
    .mutation(({ ctx, input }) =>
      addUploadedDocument(ctx.db, ctx.actor, input.knowledgeBaseId, {
        bytes: new Uint8Array(Buffer.from(input.contentBase64, 'base64')),
        contentType: input.contentType,
        fileName: input.fileName,
      }),
    ),

  retryDocument: scopedProcedure('knowledge:write')
    .input(documentRef)
    .output(documentSchema)
    .mutation(({ ctx, input }) => retryDocument(ctx.db, ctx.actor, input.documentId)),

  deleteDocument: scopedProcedure('knowledge:write')
    .input(documentRef)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteDocument(ctx.db, ctx.actor, input.documentId);
      return { deleted: true as const };
    }),

  // Embeds the query through the gateway: no transaction is held across that call.
  search: scopedOutboundProcedure('knowledge:read')
    .input(
      z.object({
        query: z.string().trim().min(1, 'Enter something to search for').max(2000, 'Use at most 2000 characters'),
        knowledgeBaseIds: z.array(z.string().uuid()).max(32).optional(),
        documentIds: z.array(z.string().uuid()).max(100).optional(),
        limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional(),
      }),
    )
    .output(z.object({ hits: z.array(hitSchema), strategy: z.enum(['exact', 'hnsw']), workspaceChunks: z.number() }))
    .query(({ ctx, input }) => searchKnowledge(defaultGateway(), { workspaceId: ctx.actor.workspaceId }, input)),
});
